namespace BeaconEngine.Gateway.Sources;

/// <summary>The HCI command packets the agent sends to start an LE scan (Core Specification Vol 4, Part E, 7.8.10-11).</summary>
public static class HciCommands
{
    private const byte CommandPacket = 0x01;
    private const int LeControllerGroup = 0x08;

    /// <summary>LE Set Scan Parameters: passive or active, interval and window in 0.625 ms units, public address, accept all.</summary>
    public static byte[] SetScanParameters(bool active, ushort interval = 0x0010, ushort window = 0x0010) =>
        Command(0x000B, [active ? (byte)1 : (byte)0, (byte)interval, (byte)(interval >> 8), (byte)window, (byte)(window >> 8), 0x00, 0x00]);

    /// <summary>LE Set Scan Enable, with duplicate filtering off: every advertisement is an RSSI reading.</summary>
    public static byte[] SetScanEnable(bool enable) => Command(0x000C, [enable ? (byte)1 : (byte)0, 0x00]);

    private static byte[] Command(int ocf, byte[] parameters)
    {
        var opcode = (LeControllerGroup << 10) | ocf;
        return [CommandPacket, (byte)opcode, (byte)(opcode >> 8), (byte)parameters.Length, .. parameters];
    }
}
