namespace BeaconEngine.Contracts.Stores;

/// <summary>A store's overrides of the contact limits across all brands; null keeps the engine default.</summary>
[Immutable, GenerateSerializer, Alias("BeaconEngine.ContactSettings")]
public sealed record ContactSettings
{
    [Id(0)] public int? MaxCouponsPerDay { get; init; }

    [Id(1)] public double? MinGapMinutes { get; init; }

    [Id(2)] public double? QuietAfterDismissalMinutes { get; init; }

    [Id(3)] public int? DismissalsToExcludeCategory { get; init; }

    [Id(4)] public decimal? ReferenceBasket { get; init; }
}
