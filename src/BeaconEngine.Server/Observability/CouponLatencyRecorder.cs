using System.Diagnostics.Metrics;
using BeaconEngine.Grains;
using BeaconEngine.Grains.Coupons;

namespace BeaconEngine.Server.Observability;

/// <summary>
/// Fine percentiles of the engine's share of coupon latency for the simulator (diagnostics only, see
/// <see cref="Api.BenchmarkEndpoints"/>): it listens to this host's <see cref="CouponLatency.InstrumentName"/>
/// histogram and keeps 0.1 ms steps up to 10 s, finer than an exporter's buckets, and resettable.
/// Exists only while diagnostics are switched on; the engine records to the instrument alone.
/// </summary>
public sealed class CouponLatencyRecorder : IDisposable
{
    private const double Step = 0.1;
    private readonly long[] _counts = new long[100_000];
    private readonly MeterListener _listener = new();

    public CouponLatencyRecorder(IMeterFactory meters)
    {
        // Only this host's meter: tests run several hosts in one process, each with its own factory.
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == EngineTelemetry.EngineMeterName && instrument.Name == CouponLatency.InstrumentName
                && ReferenceEquals(instrument.Meter.Scope, meters))
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<double>((_, ms, _, _) =>
            Interlocked.Increment(ref _counts[Math.Min(_counts.Length - 1, (int)(ms / Step))]));
        _listener.Start();
    }

    /// <summary>Percentiles (the upper edge of their 0.1 ms step) since the last reset.</summary>
    public CouponLatencySummary Summary()
    {
        var counts = (long[])_counts.Clone();
        var total = counts.Sum();
        double At(double quantile)
        {
            var rank = (long)Math.Ceiling(quantile * total);
            long seen = 0;
            for (var i = 0; i < counts.Length; i++)
            {
                seen += counts[i];
                if (seen >= rank && seen > 0)
                {
                    return Math.Round((i + 1) * Step, 1);
                }
            }

            return 0;
        }

        return new CouponLatencySummary(total, At(0.5), At(0.95), At(0.99), At(0.999), At(1));
    }

    public void Reset()
    {
        for (var i = 0; i < _counts.Length; i++)
        {
            Interlocked.Exchange(ref _counts[i], 0);
        }
    }

    public void Dispose() => _listener.Dispose();
}

/// <summary>Engine latency percentiles in milliseconds.</summary>
public sealed record CouponLatencySummary(long Count, double P50, double P95, double P99, double P999, double Max);
