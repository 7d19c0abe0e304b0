namespace BeaconEngine.Rules.Offers;

/// <summary>
/// When in the store's local week an offer may fire: some days, and a daily window of local time.
/// A window whose end is before its start runs over midnight (e.g. 22:00 to 02:00).
/// </summary>
public sealed record OfferSchedule
{
    /// <summary>Days on which the offer may fire; empty means every day.</summary>
    public IReadOnlyList<DayOfWeek> Days { get; init; } = [];

    /// <summary>Local time the daily window opens; null means midnight.</summary>
    public TimeOnly? From { get; init; }

    /// <summary>Local time the daily window closes (exclusive); null means the end of the day.</summary>
    public TimeOnly? To { get; init; }
}
