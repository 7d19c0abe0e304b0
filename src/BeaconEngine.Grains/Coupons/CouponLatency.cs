using System.Diagnostics.Metrics;

namespace BeaconEngine.Grains.Coupons;

/// <summary>
/// The engine's own share of a coupon's latency: from the arrival of the gateway batch that caused it
/// (stamped into the request context when ingestion starts; Orleans carries it into the shopper's grain
/// call, which takes it out so it goes no further) to the coupon being handed to the push. Wall-clock
/// time, so a shopper on another node is timed too (their clocks' skew included). Recorded only as the
/// histogram <see cref="InstrumentName"/> of the meter <see cref="EngineTelemetry.EngineMeterName"/>;
/// exporters and the operator's diagnostics read it from there.
/// <para>
/// With <see cref="TraceStages"/> on (the server's diagnostics), the share is also split into the stages of
/// <see cref="CouponStage"/>, each recorded in <see cref="StageInstrumentName"/> with its name as the tag
/// <c>stage</c>: the marks ride the request context to the shopper's grain and an async-local timeline there.
/// </para>
/// </summary>
public sealed class CouponLatency
{
    public const string InstrumentName = "beaconengine.coupon.engine_latency";

    public const string StageInstrumentName = "beaconengine.coupon.engine_latency_stage";

    /// <summary>The request-context key of the batch's arrival (UTC ticks).</summary>
    public const string ReceivedKey = "beaconengine.received";

    /// <summary>The request-context key of the batch reaching its gateway's grain (UTC ticks), while stages are traced.</summary>
    private const string GatewayKey = "beaconengine.gateway";

    private static readonly AsyncLocal<CouponTimeline?> Timeline = new();

    private readonly Histogram<double> _histogram;
    private readonly Histogram<double> _stages;

    public CouponLatency(IMeterFactory meters)
    {
        var meter = meters.Create(EngineTelemetry.EngineMeterName);
        _histogram = meter.CreateHistogram<double>(InstrumentName, "ms", "Batch arrival to coupon push, per coupon a batch caused");
        _stages = meter.CreateHistogram<double>(StageInstrumentName, "ms", "The engine's share of a coupon's latency, stage by stage (diagnostics only)");
    }

    /// <summary>Whether coupons are timed stage by stage (the server's diagnostics switch it on; it costs a timeline per shopper call).</summary>
    public static bool TraceStages { get; set; }

    /// <summary>Marks the current request as a batch that arrived now.</summary>
    public static void BatchReceived() => RequestContext.Set(ReceivedKey, DateTime.UtcNow.Ticks);

    /// <summary>Marks the batch reaching its gateway's grain (only while stages are traced).</summary>
    public static void GatewayReached()
    {
        if (TraceStages && RequestContext.Get(ReceivedKey) is long)
        {
            RequestContext.Set(GatewayKey, DateTime.UtcNow.Ticks);
        }
    }

    /// <summary>The arrival of the batch this grain call carries, if any, taken out of the context so later calls do not carry it.</summary>
    public static long? TakeReceived()
    {
        if (RequestContext.Get(ReceivedKey) is not long received)
        {
            return null;
        }

        RequestContext.Remove(ReceivedKey);
        if (TraceStages)
        {
            var gateway = RequestContext.Get(GatewayKey) as long? ?? received;
            RequestContext.Remove(GatewayKey);
            Timeline.Value = new CouponTimeline(received, gateway, DateTime.UtcNow.Ticks);
        }

        return received;
    }

    /// <summary>Marks the end of <paramref name="stage"/> for the coupon this shopper call may issue (only while stages are traced).</summary>
    public static void Mark(CouponStage stage)
    {
        if (Timeline.Value is { } timeline)
        {
            timeline.Marks[(int)stage] = DateTime.UtcNow.Ticks;
        }
    }

    /// <summary>Records a coupon handed to the push now, caused by a batch that arrived at <paramref name="received"/> (UTC ticks).</summary>
    public void Pushed(long received)
    {
        var now = DateTime.UtcNow.Ticks;
        _histogram.Record(Milliseconds(now - received));
        if (Timeline.Value is not { Received: var start } timeline || start != received)
        {
            return;
        }

        Timeline.Value = null;
        var from = timeline.Received;
        Stage("read", timeline.Gateway);
        Stage("fanOut", timeline.Shopper);
        Stage("presence", timeline.Marks[(int)CouponStage.Presence]);
        Stage("reserve", timeline.Marks[(int)CouponStage.Reserved]);
        Stage("wallet", timeline.Marks[(int)CouponStage.Stored]);
        Stage("push", now);

        void Stage(string name, long to)
        {
            if (to >= from)
            {
                _stages.Record(Milliseconds(to - from), new KeyValuePair<string, object?>("stage", name));
                from = to;
            }
        }
    }

    private static double Milliseconds(long ticks) => Math.Max(0, TimeSpan.FromTicks(ticks).TotalMilliseconds);

    private sealed class CouponTimeline(long received, long gateway, long shopper)
    {
        public long Received { get; } = received;

        public long Gateway { get; } = gateway;

        public long Shopper { get; } = shopper;

        public long[] Marks { get; } = new long[3];
    }
}

/// <summary>The marks of a coupon's path inside the shopper's grain, in order.</summary>
public enum CouponStage
{
    /// <summary>The sightings are placed (zone resolution, trail); the decision starts.</summary>
    Presence,

    /// <summary>Decided, the budget reserved and the code drawn.</summary>
    Reserved,

    /// <summary>The wallet is stored.</summary>
    Stored,
}
