namespace BeaconEngine.Contracts.Stores;

/// <summary>
/// A store's overrides of the zone resolver's parameters; null keeps the engine default. Names and
/// meanings follow <c>ZoneResolverOptions</c> (times in seconds).
/// </summary>
[Immutable, GenerateSerializer, Alias("BeaconEngine.ProximitySettings")]
public sealed record ProximitySettings
{
    [Id(0)] public double? EnterRssiDbm { get; init; }

    [Id(1)] public int? EnterSightings { get; init; }

    [Id(2)] public double? EnterWindowSeconds { get; init; }

    /// <summary>"windowPercentile", "exponential" or "kalman".</summary>
    [Id(3)] public string? Filter { get; init; }

    [Id(4)] public double? WindowSeconds { get; init; }

    [Id(5)] public double? WindowPercentile { get; init; }

    [Id(6)] public int? WindowMinReadings { get; init; }

    [Id(7)] public double? SpikeDb { get; init; }

    [Id(8)] public double? SmoothingAlpha { get; init; }

    [Id(9)] public double? SwitchMarginDb { get; init; }

    [Id(10)] public double? MinDwellSeconds { get; init; }

    [Id(11)] public double? NonAdjacentConfirmSeconds { get; init; }

    [Id(12)] public double? GatewayStaleAfterSeconds { get; init; }

    [Id(13)] public double? ExitTimeoutSeconds { get; init; }

    [Id(14)] public double? ExitRssiDbm { get; init; }

    [Id(15)] public double? DwellTickSeconds { get; init; }
}
