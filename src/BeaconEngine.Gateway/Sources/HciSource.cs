using System.Runtime.CompilerServices;
using System.Threading.Channels;
using BeaconEngine.Proximity.Advertising;

namespace BeaconEngine.Gateway.Sources;

/// <summary>
/// The radio: starts an LE scan on an adapter through BlueZ's raw HCI socket and turns each advertising report into a
/// sighting stamped with the agent's clock. Linux only; the parsing is <see cref="HciEventParser"/>, tested on its own.
/// </summary>
public sealed partial class HciSource(SourceOptions options, TimeProvider time, ILogger<HciSource> logger) : ISightingSource
{
    public bool Finite => false;

    public async IAsyncEnumerable<GatewaySighting> ReadAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var channel = Channel.CreateBounded<GatewaySighting>(new BoundedChannelOptions(10_000) { FullMode = BoundedChannelFullMode.DropOldest });
        var reader = new Thread(() => Scan(channel.Writer, cancellationToken)) { IsBackground = true, Name = "hci-scan" };
        reader.Start();
        await foreach (var sighting in channel.Reader.ReadAllAsync(cancellationToken))
        {
            yield return sighting;
        }
    }

    /// <summary>Turns a report into a sighting; null for what the agent does not forward.</summary>
    public static GatewaySighting? ToSighting(HciAdvertisingReport report, DateTimeOffset at, bool iBeaconOnly)
    {
        var result = AdvertisementParser.TryReadIBeacon(report.Data, out var frame, out _);
        return result switch
        {
            AdvertisementResult.Ok => new GatewaySighting(at, report.Rssi, frame.Identity, null),
            AdvertisementResult.NotIBeacon when !iBeaconOnly => new GatewaySighting(at, report.Rssi, null, report.Data),
            _ => null,
        };
    }

    private void Scan(ChannelWriter<GatewaySighting> writer, CancellationToken cancellationToken)
    {
        try
        {
            using var socket = new HciSocket(options.Device);
            socket.Send(HciCommands.SetScanEnable(false));
            socket.Send(HciCommands.SetScanParameters(options.ActiveScan));
            socket.Send(HciCommands.SetScanEnable(true));
            LogScanning(logger, options.Device);
            var buffer = new byte[512];
            var reports = new List<HciAdvertisingReport>();
            while (!cancellationToken.IsCancellationRequested)
            {
                var n = socket.Receive(buffer);
                if (n == 0)
                {
                    continue;
                }

                reports.Clear();
                if (HciEventParser.Parse(buffer.AsSpan(0, n), reports) is { } error)
                {
                    LogBadEvent(logger, error);
                }

                var now = time.GetUtcNow();
                foreach (var report in reports)
                {
                    if (ToSighting(report, now, options.IBeaconOnly) is { } sighting)
                    {
                        writer.TryWrite(sighting);
                    }
                }
            }

            socket.Send(HciCommands.SetScanEnable(false));
            writer.TryComplete();
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            writer.TryComplete(ex);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Scanning for BLE advertisements on hci{Device}")]
    private static partial void LogScanning(ILogger logger, int device);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Ignored a broken HCI event: {Error}")]
    private static partial void LogBadEvent(ILogger logger, string error);
}
