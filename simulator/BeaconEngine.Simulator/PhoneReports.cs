using System.Diagnostics;
using MessagePack;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;

namespace BeaconEngine.Simulator;

/// <summary>
/// Every shopper's phone reporting the store beacons it ranged, as the SDK does: the readings of a second in one
/// <c>ReportSightings</c> call on the app's own hub connection (MessagePack), phones spread over the second.
/// Remembers, per shopper, when its last few reports were sent, so a coupon is timed from the report that caused it.
/// </summary>
public sealed class PhoneReports(Guid beaconUuid, int shoppers, long epochUnixMs, TimeSpan interval, Func<int, HubConnection?> connectionOf)
{
    private readonly List<(int Beacon, Advertisement Reading)>[] _buffers = [.. Enumerable.Range(0, shoppers).Select(_ => new List<(int, Advertisement)>())];
    private readonly Lock[] _locks = [.. Enumerable.Range(0, 64).Select(_ => new Lock())];
    private readonly SendLog _sends = new(shoppers);
    private readonly string _uuid = beaconUuid.ToString("D");
    private readonly LatencyRecorder _roundTrip = new();
    private long _sent;
    private long _reports;
    private long _accepted;
    private long _dropped;
    private long _rejected;
    private long _errors;

    /// <summary>Readings sent.</summary>
    public long Sent => Interlocked.Read(ref _sent);

    public long Reports => Interlocked.Read(ref _reports);

    public long Accepted => Interlocked.Read(ref _accepted);

    public long Dropped => Interlocked.Read(ref _dropped);

    public long Rejected => Interlocked.Read(ref _rejected);

    /// <summary>Reports that failed (a hub error, a lost connection).</summary>
    public long Errors => Interlocked.Read(ref _errors);

    /// <summary>Round trips of reports: the call to the server's receipt.</summary>
    public LatencyRecorder RoundTrip => _roundTrip;

    /// <summary>A beacon (<paramref name="beacon"/>: its gateway's index) the shopper's phone ranged.</summary>
    public void Ranged(int beacon, Advertisement reading)
    {
        var shopper = reading.Shopper.Index;
        lock (_locks[shopper % _locks.Length])
        {
            _buffers[shopper].Add((beacon, reading));
        }
    }

    /// <summary>See <see cref="GatewayUplinks.ShopperSentBefore"/>: the same, for this shopper's reports.</summary>
    public (long Last, long Earliest) ShopperSentBefore(int shopper, DateTime issuedBeforeUtc, TimeSpan window) =>
        _sends.SentBefore(shopper, issuedBeforeUtc, window);

    /// <summary>Each phone reports what it ranged once per interval, at its own offset in it, until cancelled.</summary>
    public async Task RunAsync(CancellationToken cancel)
    {
        var start = Stopwatch.GetTimestamp();
        var pending = new List<Task>();
        var next = new double[shoppers];
        for (var i = 0; i < shoppers; i++)
        {
            next[i] = interval.TotalSeconds * (i + 1) / shoppers;
        }

        try
        {
            while (!cancel.IsCancellationRequested)
            {
                var now = Stopwatch.GetElapsedTime(start).TotalSeconds;
                for (var i = 0; i < shoppers; i++)
                {
                    if (next[i] > now)
                    {
                        continue;
                    }

                    next[i] += interval.TotalSeconds;
                    List<(int Beacon, Advertisement Reading)> batch;
                    lock (_locks[i % _locks.Length])
                    {
                        batch = _buffers[i];
                        _buffers[i] = new(batch.Count);
                    }

                    if (batch.Count > 0 && connectionOf(i) is { } connection)
                    {
                        pending.Add(SendAsync(i, connection, batch));
                    }
                }

                pending.RemoveAll(t => t.IsCompleted);
                await Task.Delay(20, cancel);
            }
        }
        catch (OperationCanceledException)
        {
        }

        await Task.WhenAll(pending);
    }

    private async Task SendAsync(int shopper, HubConnection connection, List<(int Beacon, Advertisement Reading)> readings)
    {
        var report = new SimPhoneReport
        {
            Sightings = [.. readings.Select(r => new SimPhoneSighting
            {
                Ts = epochUnixMs + (long)(r.Reading.At * 1000),
                Rssi = r.Reading.Rssi,
                IBeacon = new SimIBeacon { Uuid = _uuid, Major = 1, Minor = r.Beacon + 1 },
            })],
        };
        var sentWall = DateTime.UtcNow.Ticks;
        var sentAt = Stopwatch.GetTimestamp();
        _sends.Record(shopper, sentAt, sentWall);
        Interlocked.Add(ref _sent, readings.Count);
        Interlocked.Increment(ref _reports);
        try
        {
            var receipt = await connection.InvokeAsync<SimReportReceipt>("ReportSightings", report);
            _roundTrip.Add(Stopwatch.GetElapsedTime(sentAt).TotalMilliseconds);
            Interlocked.Add(ref _accepted, receipt.Accepted);
            Interlocked.Add(ref _dropped, receipt.Dropped);
            Interlocked.Add(ref _rejected, receipt.Rejected?.Count ?? 0);
        }
        catch (Exception ex) when (ex is HubException or InvalidOperationException or TaskCanceledException or IOException)
        {
            Interlocked.Increment(ref _errors);
        }
    }
}

/// <summary>When each shopper's last few sends went out, on this process's clock and on the wall clock.</summary>
public sealed class SendLog(int shoppers)
{
    private const int Kept = 4;
    private readonly long[] _at = new long[shoppers * Kept];
    private readonly long[] _wall = new long[shoppers * Kept];
    private readonly int[] _next = new int[shoppers];
    private readonly Lock[] _locks = [.. Enumerable.Range(0, 64).Select(_ => new Lock())];

    public void Record(int shopper, long sentAt, long sentWall)
    {
        lock (_locks[shopper % _locks.Length])
        {
            var slot = (shopper * Kept) + _next[shopper];
            _at[slot] = sentAt;
            _wall[slot] = sentWall;
            _next[shopper] = (_next[shopper] + 1) % Kept;
        }
    }

    /// <summary>The last send before <paramref name="issuedBeforeUtc"/>, and the earliest within <paramref name="window"/> before it.</summary>
    public (long Last, long Earliest) SentBefore(int shopper, DateTime issuedBeforeUtc, TimeSpan window)
    {
        Span<(long At, long Wall)> sends = stackalloc (long, long)[Kept];
        lock (_locks[shopper % _locks.Length])
        {
            for (var i = 0; i < Kept; i++)
            {
                sends[i] = (_at[(shopper * Kept) + i], _wall[(shopper * Kept) + i]);
            }
        }

        long last = 0, lastWall = 0;
        foreach (var (at, wall) in sends)
        {
            if (at != 0 && wall < issuedBeforeUtc.Ticks && at > last)
            {
                (last, lastWall) = (at, wall);
            }
        }

        var earliest = last;
        foreach (var (at, wall) in sends)
        {
            if (at != 0 && at < earliest && wall < lastWall && Stopwatch.GetElapsedTime(at, last) <= window)
            {
                earliest = at;
            }
        }

        return (last, earliest);
    }
}

[MessagePackObject]
public sealed class SimPhoneReport
{
    [Key("sightings")] public List<SimPhoneSighting> Sightings { get; set; } = [];
}

[MessagePackObject]
public sealed class SimPhoneSighting
{
    [Key("ts")] public long Ts { get; set; }

    [Key("rssi")] public int Rssi { get; set; }

    [Key("ibeacon")] public SimIBeacon IBeacon { get; set; } = new();
}

[MessagePackObject]
public sealed class SimIBeacon
{
    [Key("uuid")] public string Uuid { get; set; } = "";

    [Key("major")] public int Major { get; set; }

    [Key("minor")] public int Minor { get; set; }
}

[MessagePackObject]
public sealed class SimReportReceipt
{
    [Key("accepted")] public int Accepted { get; set; }

    [Key("dropped")] public int Dropped { get; set; }

    [Key("rejected")] public List<Dictionary<string, object>>? Rejected { get; set; }
}
