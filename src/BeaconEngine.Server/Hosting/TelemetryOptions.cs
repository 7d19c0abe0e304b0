namespace BeaconEngine.Server.Hosting;

/// <summary>Configuration section <c>BeaconEngine:Telemetry</c>: where OTLP goes. Without an endpoint, nothing is exported over OTLP and no spans are recorded.</summary>
public sealed class TelemetryOptions
{
    public const string Section = "BeaconEngine:Telemetry";

    /// <summary>The collector's base address, e.g. <c>http://collector:4317</c>; falls back to the standard <c>OTEL_EXPORTER_OTLP_ENDPOINT</c>.</summary>
    public string? OtlpEndpoint { get; set; }

    /// <summary><c>grpc</c> (the default) or <c>http/protobuf</c>; falls back to <c>OTEL_EXPORTER_OTLP_PROTOCOL</c>.</summary>
    public string? OtlpProtocol { get; set; }

    /// <summary>Name of this service in traces and metrics.</summary>
    public string ServiceName { get; set; } = "beaconengine";
}
