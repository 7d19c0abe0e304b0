namespace BeaconEngine.Rules.Offers;

/// <summary>Which shoppers an offer is for. Every condition left empty or null matches everyone.</summary>
public sealed record OfferAudience
{
    /// <summary>The shopper must have declared at least one of these segments or needs (e.g. "vegan", "family").</summary>
    public IReadOnlyList<string> Segments { get; init; } = [];

    /// <summary>The shopper's loyalty tier must be one of these.</summary>
    public IReadOnlyList<string> LoyaltyTiers { get; init; } = [];

    public int? MinVisits { get; init; }

    public int? MaxVisits { get; init; }

    public VisitorKind Visitors { get; init; } = VisitorKind.Any;

    /// <summary>The shopper must have declared the offer's category as an interest.</summary>
    public bool RequiresInterest { get; init; }
}

public enum VisitorKind
{
    Any,

    /// <summary>On their first visit.</summary>
    New,

    /// <summary>On a later visit.</summary>
    Returning,
}
