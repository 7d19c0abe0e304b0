using System.Diagnostics;

namespace BeaconEngine.Grains;

/// <summary>
/// The engine's own telemetry names: the activity source of its spans and the meters of its instruments.
/// The host subscribes to these by name (OpenTelemetry); with no subscriber a span costs nothing.
/// </summary>
public static class EngineTelemetry
{
    /// <summary>Spans of the engine's own steps (a batch's ingestion, a coupon's push).</summary>
    public const string ActivitySourceName = "BeaconEngine";

    /// <summary>The coupon path's meter (<see cref="Coupons.CouponLatency"/>).</summary>
    public const string EngineMeterName = "BeaconEngine.Engine";

    /// <summary>Uplinks: batches, sightings and MQTT messages.</summary>
    public const string IngestionMeterName = "BeaconEngine.Ingestion";

    /// <summary>The health of the gateways whose grains this silo hosts.</summary>
    public const string GatewaysMeterName = "BeaconEngine.Gateways";

    /// <summary>Every meter of the engine, for a metrics pipeline to subscribe to.</summary>
    public static readonly string[] MeterNames = [EngineMeterName, IngestionMeterName, GatewaysMeterName];

    // One per process: an ActivitySource is only a name; listeners (one per host) decide what is recorded.
    public static readonly ActivitySource Source = new(ActivitySourceName);
}
