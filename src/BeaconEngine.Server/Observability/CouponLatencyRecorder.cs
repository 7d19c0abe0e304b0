using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using BeaconEngine.Grains;
using BeaconEngine.Grains.Coupons;

namespace BeaconEngine.Server.Observability;

/// <summary>
/// Fine percentiles of the engine's share of coupon latency for the simulator (diagnostics only, see
/// <see cref="Api.BenchmarkEndpoints"/>): it listens to this host's <see cref="CouponLatency.InstrumentName"/>
/// histogram and keeps 0.1 ms steps up to 10 s, finer than an exporter's buckets, and resettable. It also
/// switches on <see cref="CouponLatency.TraceStages"/> and keeps each stage of the share
/// (<see cref="CouponLatency.StageInstrumentName"/>) in 0.01 ms steps up to 100 ms, with its mean, so the
/// stages' means add up to the share's.
/// Exists only while diagnostics are switched on; the engine records to the instruments alone.
/// </summary>
public sealed class CouponLatencyRecorder : IDisposable
{
    private readonly Buckets _total = new(0.1, 100_000);
    private readonly ConcurrentDictionary<string, Buckets> _stages = new(StringComparer.Ordinal);
    private readonly MeterListener _listener = new();

    public CouponLatencyRecorder(IMeterFactory meters)
    {
        CouponLatency.TraceStages = true;

        // Only this host's meter: tests run several hosts in one process, each with its own factory.
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == EngineTelemetry.EngineMeterName && instrument.Name is CouponLatency.InstrumentName or CouponLatency.StageInstrumentName
                && ReferenceEquals(instrument.Meter.Scope, meters))
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<double>((instrument, ms, tags, _) =>
        {
            if (instrument.Name == CouponLatency.InstrumentName)
            {
                _total.Add(ms);
            }
            else if (tags.Length > 0 && tags[0].Value is string stage)
            {
                _stages.GetOrAdd(stage, static _ => new Buckets(0.01, 10_000)).Add(ms);
            }
        });
        _listener.Start();
    }

    /// <summary>Percentiles (the upper edge of their step) since the last reset, and each stage's.</summary>
    public CouponLatencySummary Summary()
    {
        var (count, p50, p95, p99, p999, max, _) = _total.Percentiles();
        var stages = _stages.ToDictionary(s => s.Key, s =>
        {
            var (n, s50, s95, s99, _, sMax, mean) = s.Value.Percentiles();
            return new CouponStageSummary(n, mean, s50, s95, s99, sMax);
        }, StringComparer.Ordinal);
        return new CouponLatencySummary(count, p50, p95, p99, p999, max) { Stages = stages.Count == 0 ? null : stages };
    }

    public void Reset()
    {
        _total.Reset();
        foreach (var stage in _stages.Values)
        {
            stage.Reset();
        }
    }

    public void Dispose() => _listener.Dispose();

    /// <summary>Counts in fixed steps (the last one holds everything beyond), and their sum for the mean.</summary>
    private sealed class Buckets(double step, int steps)
    {
        private readonly long[] _counts = new long[steps];
        private long _sumMicroseconds;

        public void Add(double ms)
        {
            Interlocked.Increment(ref _counts[Math.Min(_counts.Length - 1, (int)(ms / step))]);
            Interlocked.Add(ref _sumMicroseconds, (long)(ms * 1000));
        }

        public (long Count, double P50, double P95, double P99, double P999, double Max, double Mean) Percentiles()
        {
            var counts = (long[])_counts.Clone();
            var total = counts.Sum();
            var digits = step < 0.1 ? 2 : 1;
            double At(double quantile)
            {
                var rank = (long)Math.Ceiling(quantile * total);
                long seen = 0;
                for (var i = 0; i < counts.Length; i++)
                {
                    seen += counts[i];
                    if (seen >= rank && seen > 0)
                    {
                        return Math.Round((i + 1) * step, digits);
                    }
                }

                return 0;
            }

            var mean = total == 0 ? 0 : Math.Round(Interlocked.Read(ref _sumMicroseconds) / 1000.0 / total, 3);
            return (total, At(0.5), At(0.95), At(0.99), At(0.999), At(1), mean);
        }

        public void Reset()
        {
            for (var i = 0; i < _counts.Length; i++)
            {
                Interlocked.Exchange(ref _counts[i], 0);
            }

            Interlocked.Exchange(ref _sumMicroseconds, 0);
        }
    }
}

/// <summary>Engine latency percentiles in milliseconds; with diagnostics, each stage's too (read, fanOut, presence, reserve, wallet, push).</summary>
public sealed record CouponLatencySummary(long Count, double P50, double P95, double P99, double P999, double Max)
{
    public IReadOnlyDictionary<string, CouponStageSummary>? Stages { get; init; }
}

/// <summary>One stage of the engine's share: how many coupons, its mean (the means add up) and percentiles, in ms.</summary>
public sealed record CouponStageSummary(long Count, double Mean, double P50, double P95, double P99, double Max);
