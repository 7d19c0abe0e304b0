using Orleans.Concurrency;

namespace BeaconEngine.Contracts.Analytics;

/// <summary>
/// A store's whole programme against its global control group: every shopper seen (by pseudonym), in the
/// global control group or treated, with their visits, baskets and spend. Key: store id.
/// </summary>
[Alias("BeaconEngine.IProgrammeGrain")]
public interface IProgrammeGrain : IGrainWithStringKey
{
    /// <summary>A shopper began a visit to the store.</summary>
    [OneWay, Alias("Visited")]
    Task Visited(string shopperKey, bool globalControl);

    /// <summary>The till reported a basket of the shopper, worth <paramref name="total"/>.</summary>
    [Alias("Basket")]
    Task Basket(string shopperKey, bool globalControl, decimal total);

    [ReadOnly, Alias("GetReport")]
    Task<ProgrammeReport> GetReport();
}

/// <summary>One group's totals over its shoppers: count, and the sum and sum of squares of each per-shopper figure.</summary>
[Immutable, GenerateSerializer, Alias("BeaconEngine.ProgrammeGroup")]
public sealed record ProgrammeGroup(
    long Shoppers, double Visits, double VisitSquares, double Baskets, double BasketSquares, double Spend, double SpendSquares);

[Immutable, GenerateSerializer, Alias("BeaconEngine.ProgrammeReport")]
public sealed record ProgrammeReport(ProgrammeGroup Treated, ProgrammeGroup GlobalControl);
