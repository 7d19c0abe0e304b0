namespace BeaconEngine.Benchmarks.Rules;

/// <summary>
/// The facts RulesEngine's expressions read for one zone event (its <c>input1</c>): the event's zone,
/// dwell and store-local hour, and the shopper's visit count and opt-outs. Built per event, as a caller
/// of RulesEngine would, so its cost belongs to the baseline. Public with properties because
/// RulesEngine's Dynamic LINQ expressions bind to public members.
/// </summary>
public sealed class ZoneEventInput
{
    public required string ZoneId { get; init; }

    public required double DwellSeconds { get; init; }

    public required int LocalHour { get; init; }

    public required int VisitCount { get; init; }

    public required IReadOnlyList<string> OptedOut { get; init; }
}
