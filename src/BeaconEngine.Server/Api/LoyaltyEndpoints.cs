using BeaconEngine.Contracts.Analytics;
using BeaconEngine.Contracts.Stores;
using BeaconEngine.Grains.Analytics;
using BeaconEngine.Server.Security;

namespace BeaconEngine.Server.Api;

/// <summary>
/// The store settles who holds a loyalty card. Linking a card answers every shopper alike, so a card two
/// shoppers linked is disputed: the till names nobody by it until the store, having seen the card and the
/// shopper, confirms its holder here.
/// </summary>
public static class LoyaltyEndpoints
{
    public static IEndpointRouteBuilder MapLoyaltyEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/v1/stores/{storeId}/loyalty/{loyaltyId}", Get).RequireAuthorization(Roles.Operator).WithTags("Operator")
            .WithSummary("A loyalty card's holder and any other shoppers who linked it")
            .WithDescription("404 if no shopper holds or claims the card. `confirmed` is true once the store confirmed the holder.")
            .Produces<LoyaltyCardResponse>();
        app.MapPost("/api/v1/stores/{storeId}/loyalty/{loyaltyId}/confirmation", Confirm).RequireAuthorization(Roles.Operator).WithTags("Operator")
            .WithSummary("Confirm which shopper holds a loyalty card")
            .WithDescription("Body `{ \"shopperId\" }`: one of the shoppers who linked the card. The others let go of it, and the till names the confirmed holder by it.")
            .Produces<LoyaltyCardResponse>();
        return app;
    }

    private static async Task<IResult> Get(string storeId, string loyaltyId, IGrainFactory grains)
    {
        var (store, card) = await CardAsync(storeId, loyaltyId, grains);
        var status = await grains.GetGrain<ILoyaltyCardGrain>(ShopperGrainKeys.LoyaltyCard(store, card)).Describe()
            ?? throw Problems.NotFound($"No shopper of store '{store}' has linked loyalty card '{card}'.");
        return TypedResults.Ok(From(card, status));
    }

    private static async Task<IResult> Confirm(string storeId, string loyaltyId, LoyaltyConfirmationRequest body, IGrainFactory grains)
    {
        var (store, card) = await CardAsync(storeId, loyaltyId, grains);
        var shopperId = Validate.Id(body.ShopperId, "shopperId");
        var grain = grains.GetGrain<ILoyaltyCardGrain>(ShopperGrainKeys.LoyaltyCard(store, card));
        if (await grain.Describe() is null)
        {
            throw Problems.NotFound($"No shopper of store '{store}' has linked loyalty card '{card}'.");
        }

        var status = await grain.Confirm(shopperId)
            ?? throw Problems.Conflict($"Shopper '{shopperId}' has not linked loyalty card '{card}'; confirm one of those GET /api/v1/stores/{store}/loyalty/{card} lists.");
        return TypedResults.Ok(From(card, status));
    }

    private static async Task<(string Store, string Card)> CardAsync(string storeId, string loyaltyId, IGrainFactory grains)
    {
        var store = Validate.RouteId(storeId, "store");
        var card = Validate.RouteId(loyaltyId, "loyalty card");
        _ = await grains.GetGrain<IStoreGrain>(store).GetSnapshot() ?? throw Problems.NotFound($"There is no store '{store}'.");
        return (store, card);
    }

    private static LoyaltyCardResponse From(string loyaltyId, LoyaltyCardStatus status) =>
        new(loyaltyId, status.ShopperId, status.Confirmed, status.Claimants);
}

public sealed record LoyaltyConfirmationRequest(string? ShopperId);

/// <summary>A card's holder (null while the claimants settle it with the store), whether the store confirmed them, and the other claimants.</summary>
public sealed record LoyaltyCardResponse(string LoyaltyId, string? ShopperId, bool Confirmed, string[] Claimants);
