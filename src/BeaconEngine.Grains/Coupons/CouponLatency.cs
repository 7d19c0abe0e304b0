using System.Diagnostics.Metrics;

namespace BeaconEngine.Grains.Coupons;

/// <summary>
/// The engine's own share of a coupon's latency: from the arrival of the gateway batch that caused it
/// (stamped into the request context when ingestion starts; Orleans carries it into the shopper's grain
/// call, which takes it out so it goes no further) to the coupon being handed to the push. Wall-clock
/// time, so a shopper on another node is timed too (their clocks' skew included). Kept as a histogram
/// of 0.1 ms steps up to 10 s for the operator's diagnostics, and as the instrument
/// <c>beaconengine.coupon.engine_latency</c> (meter <see cref="MeterName"/>) for OpenTelemetry.
/// </summary>
public sealed class CouponLatency : IDisposable
{
    public const string MeterName = "BeaconEngine.Engine";

    /// <summary>The request-context key of the batch's arrival (UTC ticks).</summary>
    public const string ReceivedKey = "beaconengine.received";

    private const double Step = 0.1;
    private readonly long[] _counts = new long[100_000];
    private readonly Meter _meter = new(MeterName);
    private readonly Histogram<double> _histogram;

    public CouponLatency() =>
        _histogram = _meter.CreateHistogram<double>("beaconengine.coupon.engine_latency", "ms", "Batch arrival to coupon push, per coupon a batch caused");

    /// <summary>Marks the current request as a batch that arrived now.</summary>
    public static void BatchReceived() => RequestContext.Set(ReceivedKey, DateTime.UtcNow.Ticks);

    /// <summary>The arrival of the batch this grain call carries, if any, taken out of the context so later calls do not carry it.</summary>
    public static long? TakeReceived()
    {
        if (RequestContext.Get(ReceivedKey) is not long received)
        {
            return null;
        }

        RequestContext.Remove(ReceivedKey);
        return received;
    }

    /// <summary>Records a coupon handed to the push now, caused by a batch that arrived at <paramref name="received"/> (UTC ticks).</summary>
    public void Pushed(long received)
    {
        var ms = Math.Max(0, TimeSpan.FromTicks(DateTime.UtcNow.Ticks - received).TotalMilliseconds);
        Interlocked.Increment(ref _counts[Math.Min(_counts.Length - 1, (int)(ms / Step))]);
        _histogram.Record(ms);
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

    public void Dispose() => _meter.Dispose();
}

/// <summary>Engine latency percentiles in milliseconds.</summary>
public sealed record CouponLatencySummary(long Count, double P50, double P95, double P99, double P999, double Max);
