using System.Diagnostics.Metrics;

namespace BeaconEngine.Grains.Coupons;

/// <summary>
/// The engine's own share of a coupon's latency: from the arrival of the gateway batch that caused it
/// (stamped into the request context when ingestion starts; Orleans carries it into the shopper's grain
/// call, which takes it out so it goes no further) to the coupon being handed to the push. Wall-clock
/// time, so a shopper on another node is timed too (their clocks' skew included). Recorded only as the
/// histogram <see cref="InstrumentName"/> of the meter <see cref="EngineTelemetry.EngineMeterName"/>;
/// exporters and the operator's diagnostics read it from there.
/// </summary>
public sealed class CouponLatency
{
    public const string InstrumentName = "beaconengine.coupon.engine_latency";

    /// <summary>The request-context key of the batch's arrival (UTC ticks).</summary>
    public const string ReceivedKey = "beaconengine.received";

    private readonly Histogram<double> _histogram;

    public CouponLatency(IMeterFactory meters) =>
        _histogram = meters.Create(EngineTelemetry.EngineMeterName)
            .CreateHistogram<double>(InstrumentName, "ms", "Batch arrival to coupon push, per coupon a batch caused");

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
    public void Pushed(long received) =>
        _histogram.Record(Math.Max(0, TimeSpan.FromTicks(DateTime.UtcNow.Ticks - received).TotalMilliseconds));
}
