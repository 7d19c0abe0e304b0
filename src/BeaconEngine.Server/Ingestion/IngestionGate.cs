using System.Diagnostics.Metrics;
using BeaconEngine.Grains;

namespace BeaconEngine.Server.Ingestion;

/// <summary>
/// Bounds the sightings this node works on at once, so a node offered more than it can do refuses the excess at the
/// door (503 with <c>Retry-After</c>, nothing of the batch counted) instead of queueing it inside until every call
/// times out. The bound is what the node finished in the last second, times <see cref="QueueSeconds"/> (so a batch
/// waits about that long at most, however slow the node is at the moment: shoppers activating at a cold start), never
/// below <see cref="Floor"/> nor above <see cref="Limits.ServerLimitOptions.MaxSightingsInFlight"/>. A batch is always
/// admitted when nothing else is in flight, so one larger than the bound still goes through on its own. A gateway that
/// cannot be told to wait (MQTT) waits for room instead, which holds back its broker's deliveries.
/// </summary>
public sealed class IngestionGate
{
    /// <summary>Seconds of the node's recent pace that may wait in flight.</summary>
    public const double QueueSeconds = 2;

    /// <summary>The bound never falls below this many sightings (a quiet node, or one just started, has no pace yet).</summary>
    public const int Floor = 10_000;

    private static readonly TimeSpan LongestPause = TimeSpan.FromMilliseconds(100);

    private readonly TimeProvider _time;
    private readonly int _ceiling;
    private long _inFlight;
    private long _finished;
    private long _windowStart;
    private int _limit;

    public IngestionGate(int ceiling, IMeterFactory meters, TimeProvider? time = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(ceiling, 1);
        _ceiling = ceiling;
        _limit = Math.Min(Floor, ceiling);
        _time = time ?? TimeProvider.System;
        _windowStart = _time.GetTimestamp();
        var meter = meters.Create(EngineTelemetry.IngestionMeterName);
        meter.CreateObservableGauge("beaconengine.ingestion.sightings_in_flight", () => InFlight, description: "Sightings of admitted batches this node is working on");
        meter.CreateObservableGauge("beaconengine.ingestion.sightings_bound", () => Limit, description: "Sightings this node admits in flight at the moment");
    }

    /// <summary>The most sightings in flight at once, at the moment.</summary>
    public int Limit
    {
        get
        {
            Pace();
            return Volatile.Read(ref _limit);
        }
    }

    /// <summary>Sightings of admitted batches not yet answered.</summary>
    public long InFlight => Volatile.Read(ref _inFlight);

    /// <summary>Takes room for <paramref name="sightings"/>; false when that would pass the bound while others are in flight.</summary>
    public bool TryEnter(int sightings)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(sightings);
        var limit = Limit;
        while (true)
        {
            var current = Volatile.Read(ref _inFlight);
            if (current > 0 && current + sightings > limit)
            {
                return false;
            }

            if (Interlocked.CompareExchange(ref _inFlight, current + sightings, current) == current)
            {
                return true;
            }
        }
    }

    /// <summary>Waits for room, pausing a little longer each time (at most 100 ms), then takes it.</summary>
    public async ValueTask EnterAsync(int sightings, CancellationToken cancellationToken = default)
    {
        var pause = TimeSpan.FromMilliseconds(2);
        while (!TryEnter(sightings))
        {
            await Task.Delay(pause, cancellationToken);
            pause = pause * 2 < LongestPause ? pause * 2 : LongestPause;
        }
    }

    /// <summary>Gives back the room of an admitted batch once it is answered.</summary>
    public void Exit(int sightings)
    {
        Interlocked.Add(ref _inFlight, -sightings);
        Interlocked.Add(ref _finished, sightings);
    }

    // Once a second: the bound becomes the last second's pace times QueueSeconds, within the floor and the ceiling.
    private void Pace()
    {
        var start = Volatile.Read(ref _windowStart);
        var now = _time.GetTimestamp();
        var elapsed = _time.GetElapsedTime(start, now);
        if (elapsed < TimeSpan.FromSeconds(1) || Interlocked.CompareExchange(ref _windowStart, now, start) != start)
        {
            return;
        }

        var pace = Interlocked.Exchange(ref _finished, 0) / elapsed.TotalSeconds;
        Volatile.Write(ref _limit, (int)Math.Clamp(pace * QueueSeconds, Math.Min(Floor, _ceiling), _ceiling));
    }
}
