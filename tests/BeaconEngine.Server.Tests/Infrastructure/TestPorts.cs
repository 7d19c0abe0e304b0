using System.Net;
using System.Net.Sockets;

namespace BeaconEngine.Server.Tests.Infrastructure;

/// <summary>Ports for servers the tests start in other processes (the engine, nodes, brokers, databases).</summary>
public static class TestPorts
{
    private static readonly HashSet<int> HandedOut = [];

    /// <summary>
    /// A port for a server a test starts in another process. Taken below the kernel's ephemeral range, where
    /// port 0 would pick, since outgoing connections (thousands, in the flood tests running beside) take their
    /// local ports from that range and one could land on the port between this check and the server's bind.
    /// </summary>
    public static int Next()
    {
        var low = 32768;
        try
        {
            low = int.Parse(File.ReadAllText("/proc/sys/net/ipv4/ip_local_port_range").Split('\t', ' ')[0], System.Globalization.CultureInfo.InvariantCulture);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or FormatException)
        {
        }

        var (from, to) = low > 12_000 ? (low - 10_000, low) : (40_000, 50_000);
        for (var attempt = 0; attempt < 200; attempt++)
        {
            var port = Random.Shared.Next(from, to);
            lock (HandedOut)
            {
                if (!HandedOut.Add(port))
                {
                    continue;
                }
            }

            try
            {
                using var listener = new TcpListener(IPAddress.Loopback, port);
                listener.Start();
                return port;
            }
            catch (SocketException)
            {
                // Taken: another.
            }
        }

        using var any = new TcpListener(IPAddress.Loopback, 0);
        any.Start();
        return ((IPEndPoint)any.LocalEndpoint).Port;
    }
}
