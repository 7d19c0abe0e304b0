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

    /// <summary>"smoothed", "windowPercentile", "exponential" or "kalman".</summary>
    [Id(3)] public string? Filter { get; init; }

    [Id(4)] public double? WindowSeconds { get; init; }

    [Id(5)] public double? WindowPercentile { get; init; }

    [Id(6)] public int? WindowMinReadings { get; init; }

    [Id(7)] public double? SpikeDb { get; init; }

    [Id(8)] public double? SmoothingAlpha { get; init; }

    /// <summary>Optional extra hysteresis (dB) on top of <see cref="SwitchMargin"/>; 0, off, by default.</summary>
    [Id(9)] public double? SwitchMarginDb { get; init; }

    [Id(10)] public double? MinDwellSeconds { get; init; }

    /// <summary>Optional: how long a non-neighbour must stay the most probable zone before it takes over; 1 s by default.</summary>
    [Id(11)] public double? NonAdjacentConfirmSeconds { get; init; }

    [Id(12)] public double? GatewayStaleAfterSeconds { get; init; }

    [Id(13)] public double? ExitTimeoutSeconds { get; init; }

    [Id(14)] public double? ExitRssiDbm { get; init; }

    [Id(15)] public double? DwellTickSeconds { get; init; }

    [Id(16)] public double? SmoothingSeconds { get; init; }

    [Id(17)] public double? ZoneLeadDb { get; init; }

    [Id(18)] public double? SignalSigmaDb { get; init; }

    [Id(19)] public double? LeaveRatePerSecond { get; init; }

    [Id(20)] public double? FarShare { get; init; }

    [Id(21)] public double? SwitchMargin { get; init; }

    /// <summary>Offers fire only while the shopper's zone is at least this probable (0 to 1).</summary>
    [Id(22)] public double? MinConfidence { get; init; }
}
