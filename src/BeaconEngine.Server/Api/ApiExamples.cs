using System.Text.Json.Nodes;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace BeaconEngine.Server.Api;

/// <summary>
/// Worked examples in the OpenAPI document, for the routes a newcomer calls first. They are real exchanges with the
/// server (the quick start's store), trimmed to what the route is about, so the reference page shows what to send
/// and what comes back rather than placeholder values.
/// </summary>
public static class ApiExamples
{
    /// <summary>Sets the JSON request example and the success response's example (either may be null).</summary>
    public static RouteHandlerBuilder WithExamples(this RouteHandlerBuilder builder, string? request, string? response) =>
        builder.AddOpenApiOperationTransformer((operation, _, _) =>
        {
            if (request is not null && operation.RequestBody?.Content?.TryGetValue("application/json", out var body) == true)
            {
                body.Example = JsonNode.Parse(request);
            }

            if (response is not null && operation.Responses is { } responses)
            {
                foreach (var (status, answer) in responses)
                {
                    if (status.StartsWith('2') && answer.Content?.TryGetValue("application/json", out var media) == true)
                    {
                        media.Example = JsonNode.Parse(response);
                    }
                }
            }

            return Task.CompletedTask;
        });

    public const string StoreRequest = """
        { "name": "Demo store", "timeZone": "Europe/Warsaw", "zones": [
          { "id": "dairy", "name": "Dairy aisle", "kind": "aisle", "category": "dairy", "neighbors": ["snacks"] },
          { "id": "snacks", "name": "Snacks aisle", "kind": "aisle", "category": "snacks", "neighbors": ["dairy"] } ] }
        """;

    public const string StoreResponse = """
        { "storeId": "demo-store", "name": "Demo store", "timeZone": "Europe/Warsaw",
          "zones": [ { "id": "dairy", "name": "Dairy aisle", "kind": "aisle", "category": "dairy", "neighbors": ["snacks"] },
                     { "id": "snacks", "name": "Snacks aisle", "kind": "aisle", "category": "snacks", "neighbors": ["dairy"] } ],
          "gateways": [], "beaconUuid": "d7077bfc-a840-4ef7-9fa2-b1f374fd017d",
          "proximity": { "enterRssiDbm": -70, "enterSightings": 3, "enterWindowSeconds": 3, "switchMarginDb": 5, "exitTimeoutSeconds": 10 },
          "contactPolicy": { "maxCouponsPerDay": 3, "minGapMinutes": 5, "quietAfterDismissalMinutes": 30, "dismissalsToExcludeCategory": 2, "referenceBasket": 20 } }
        """;

    public const string GatewayRequest = """{ "gatewayId": "gw-dairy", "zoneId": "dairy" }""";

    public const string GatewayResponse = """{ "gatewayId": "gw-dairy", "key": "gw_i-Z0MoWh_sqlYao6UjAHmGJBmKxB2fl9bTEsDsZcXJE" }""";

    public const string BrandRequest = """{ "brandId": "meadow-dairy", "name": "Meadow Dairy" }""";

    public const string BrandResponse = """{ "brandId": "meadow-dairy", "key": "br_05XbrIL-Zkxfb23XXIkVlbZHaS42zKfR-QVmfLgrLN4" }""";

    public const string TillRequest = """{ "tillId": "till-1" }""";

    public const string TillResponse = """{ "storeId": "demo-store", "tillId": "till-1", "key": "tl_X2t6owwAVR5g-Ku8LLe-bFz_NN2i380GT9_dNTi_HMY" }""";

    public const string OfferRequest = """
        { "storeId": "demo-store", "zoneIds": ["dairy"], "title": "20% off Greek yoghurt",
          "discount": { "kind": "percent", "value": 20 }, "minDwellSeconds": 5, "budget": { "maxCoupons": 500 },
          "couponTtlMinutes": 120, "category": "yoghurt" }
        """;

    public const string OfferResponse = """
        { "offerId": "off_xm7ms8crjm0wryp3v56c", "brandId": "meadow-dairy", "storeId": "demo-store", "zoneIds": ["dairy"],
          "title": "20% off Greek yoghurt", "description": null, "discount": { "kind": "percent", "value": 20 },
          "minDwellSeconds": 5, "validFrom": null, "validTo": null, "maxPerShopper": 1, "budget": { "maxCoupons": 500 },
          "couponTtlMinutes": 120, "createdAt": "2026-12-03T08:58:14.261Z", "updatedAt": "2026-12-03T08:58:14.261Z",
          "category": "yoghurt", "trigger": "dwell", "schedule": null,
          "audience": { "segments": [], "loyaltyTiers": [], "minVisits": null, "maxVisits": null, "visitors": "any", "requiresInterest": false },
          "priority": 1, "holdoutShare": 0.1, "caps": null }
        """;

    public const string EnrolRequest = """{ "storeId": "demo-store", "consent": { "proximity": true, "offers": true } }""";

    public const string EnrolResponse = """
        { "shopperId": "shp_qk6aacpcqqya3h8vsc9c", "token": "sh_ooR5vpyUp0jXjq0QUpYgHQfSqrNcfWVWAtzUfdNn7kU",
          "advertisement": { "uuid": "d7077bfc-a840-4ef7-9fa2-b1f374fd017d", "major": 1, "minor": 1 } }
        """;

    public const string WalletResponse = """
        { "shopperId": "shp_hg4rxe3gjc698yevx0r7", "coupons": [ {
          "couponId": "cpn_nmmg5aab5sdv0v92xry7", "offerId": "off_bhbfrs809sbyga49sszy", "brandId": "crunch-co",
          "title": "1.50 off sharing crisps", "description": null, "discount": { "kind": "amount", "value": 1.5 },
          "zoneId": "snacks", "code": "2M8QZK7TN0XHV3CFRWA9E6GPDB", "issuedAt": "2026-12-03T08:09:15.738Z",
          "expiresAt": "2026-12-03T09:09:15.738Z", "status": "issued" } ] }
        """;

    public const string RedemptionRequest = """{ "code": "2M8QZK7TN0XHV3CFRWA9E6GPDB" }""";

    public const string RedemptionResponse = """{ "couponId": "cpn_nmmg5aab5sdv0v92xry7", "offerId": "off_bhbfrs809sbyga49sszy", "shopperId": "shp_hg4rxe3gjc698yevx0r7" }""";

    public const string PurchaseRequest = """
        { "code": "2M8QZK7TN0XHV3CFRWA9E6GPDB", "lines": [ { "brand": "crunch-co", "category": "snacks", "amount": 2.49 }, { "brand": "meadow-dairy", "amount": 1.99 } ] }
        """;
}
