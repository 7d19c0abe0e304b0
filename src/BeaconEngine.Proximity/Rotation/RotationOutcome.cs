namespace BeaconEngine.Proximity.Rotation;

/// <summary>What a heard rotating identity turned out to be.</summary>
public enum RotationOutcome
{
    /// <summary>No shopper of the store held it lately: someone else's beacon, or noise.</summary>
    Unknown,

    /// <summary>Exactly one shopper holds it within the clock-skew tolerance of the sighting's period.</summary>
    Live,

    /// <summary>Two or more shoppers hold it within the tolerance; it resolves to neither.</summary>
    Shared,

    /// <summary>A shopper held it in an earlier period, beyond the tolerance: a recorded advertisement played again.</summary>
    Replay,
}

/// <summary>The outcome, and the shopper for <see cref="RotationOutcome.Live"/>.</summary>
public readonly record struct RotationMatch(RotationOutcome Outcome, string? ShopperId);
