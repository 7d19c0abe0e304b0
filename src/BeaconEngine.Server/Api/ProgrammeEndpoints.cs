using BeaconEngine.Contracts.Analytics;
using BeaconEngine.Contracts.Stores;
using BeaconEngine.Grains;
using BeaconEngine.Rules.Analytics;
using BeaconEngine.Server.Security;
using Microsoft.Extensions.Options;

namespace BeaconEngine.Server.Api;

/// <summary>
/// The store's whole programme against its global control group: does the programme as a whole (every
/// brand's coupons together) make shoppers spend more, visit more and buy more often?
/// </summary>
public static class ProgrammeEndpoints
{
    public static IEndpointRouteBuilder MapProgrammeEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/v1/stores/{storeId}/analytics/programme", Programme).RequireAuthorization(Roles.Operator).WithTags("Operator")
            .WithSummary("The programme against the store's global control group")
            .WithDescription("Spend, visits and baskets per shopper: everyone treated against the global control group, who get no coupons, with 95 % and anytime-valid intervals of the difference.")
            .Produces<ProgrammeResponse>();
        return app;
    }

    private static async Task<IResult> Programme(string storeId, IGrainFactory grains, IOptions<EngineOptions> engine)
    {
        var id = Validate.RouteId(storeId, "store");
        var snapshot = await grains.GetGrain<IStoreGrain>(id).GetSnapshot() ?? throw Problems.NotFound($"There is no store '{id}'.");
        var report = await grains.GetGrain<IProgrammeGrain>(id).GetReport();
        return TypedResults.Ok(From(id, snapshot.Layout.GlobalControlShare ?? engine.Value.GlobalControlShare, report));
    }

    public static ProgrammeResponse From(string storeId, double share, ProgrammeReport report)
    {
        var t = report.Treated;
        var c = report.GlobalControl;
        var spend = MeanDifference.Of(new SpendSample(t.Shoppers, t.Spend, t.SpendSquares), new SpendSample(c.Shoppers, c.Spend, c.SpendSquares));
        return new ProgrammeResponse(
            storeId,
            share,
            Group(t),
            Group(c),
            Difference(spend),
            Difference(MeanDifference.Of(new SpendSample(t.Shoppers, t.Visits, t.VisitSquares), new SpendSample(c.Shoppers, c.Visits, c.VisitSquares))),
            Difference(MeanDifference.Of(new SpendSample(t.Shoppers, t.Baskets, t.BasketSquares), new SpendSample(c.Shoppers, c.Baskets, c.BasketSquares))),
            Verdict(spend));
    }

    private static ProgrammeGroupResponse Group(ProgrammeGroup g) => g.Shoppers == 0
        ? new ProgrammeGroupResponse(0, 0, 0, 0)
        : new ProgrammeGroupResponse(g.Shoppers, g.Spend / g.Shoppers, g.Visits / g.Shoppers, g.Baskets / g.Shoppers);

    private static DifferenceResponse Difference(MeanDifference d) => new(
        d.Difference, Finite(d.Low), Finite(d.High), Finite(d.AnytimeLow), Finite(d.AnytimeHigh), d.SignificantAnytime);

    private static double? Finite(double x) => double.IsFinite(x) ? x : null;

    private static string Verdict(MeanDifference spend) => spend switch
    {
        { Known: false } => "No figure yet: both the treated shoppers and the global control group need two shoppers.",
        { SignificantAnytime: false } => "No measurable effect on spend yet: the interval includes zero.",
        { AnytimeLow: > 0 } => "The programme raises spend per shopper.",
        _ => "The programme lowers spend per shopper.",
    };
}

/// <summary>A group's means per shopper: spend (all brands), visits and baskets.</summary>
public sealed record ProgrammeGroupResponse(long Shoppers, double SpendPerShopper, double VisitsPerShopper, double BasketsPerShopper);

/// <summary>Treated minus global control, with Welch's 95 % interval and the anytime-valid one (null below two shoppers a group).</summary>
public sealed record DifferenceResponse(double Difference, double? Low, double? High, double? AnytimeLow, double? AnytimeHigh, bool SignificantAnytime);

public sealed record ProgrammeResponse(
    string StoreId,
    double GlobalControlShare,
    ProgrammeGroupResponse Treated,
    ProgrammeGroupResponse GlobalControl,
    DifferenceResponse Spend,
    DifferenceResponse Visits,
    DifferenceResponse Baskets,
    string Verdict);
