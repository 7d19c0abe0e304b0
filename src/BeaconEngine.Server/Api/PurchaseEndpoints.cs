using System.Security.Claims;
using BeaconEngine.Contracts.Analytics;
using BeaconEngine.Contracts.Shoppers;
using BeaconEngine.Grains.Analytics;
using BeaconEngine.Grains.Coupons;
using BeaconEngine.Server.Security;

namespace BeaconEngine.Server.Api;

/// <summary>
/// The till reports a basket. A purchase counts towards the lift of every offer whose treated or control
/// group the shopper joined before it, when the basket holds that offer's brand. The shopper's grain records it in
/// one call, with its <c>purchase</c> event stored in the shopper's record and sent to the store's log from there.
/// A basket of no known shopper is refused (404): nothing is counted or recorded, so it has no event.
/// </summary>
public static class PurchaseEndpoints
{
    private const int MaxLines = 1000;
    private const string IdempotencyKey = "Idempotency-Key";
    private const int MaxPurchaseId = 128;

    public static IEndpointRouteBuilder MapPurchaseEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapPost("/api/v1/stores/{storeId}/purchases", Record).RequireAuthorization(Roles.TillOrOperator).WithTags("Operator")
            .WithSummary("Report a basket from the till").WithDescription("The shopper is named by one of their coupon codes or their loyalty id; the lines give brand, category and amount. The basket counts towards the lift of the offers the shopper met. A purchaseId (or Idempotency-Key header) the till sent before for this shopper (within 24 hours, the newest 50) gets the first answer again and is not counted twice.")
            .Produces<PurchaseResponse>(StatusCodes.Status201Created)
            .WithExamples(ApiExamples.PurchaseRequest, null);
        return app;
    }

    private static async Task<IResult> Record(string storeId, PurchaseRequest body, HttpContext context, ClaimsPrincipal user, IGrainFactory grains, CouponCodeBook codes, TimeProvider time)
    {
        var store = Validate.RouteId(storeId, "store");
        if (!user.MayActIn(store))
        {
            throw Problems.NotFound($"There is no store '{store}' for this key.");
        }

        var now = time.GetUtcNow();
        var at = body.At ?? now;
        if (at > now.AddMinutes(5))
        {
            throw Problems.BadRequest("'at' is in the future; leave it out for now.");
        }

        if (body.Lines is not { Count: > 0 } lines)
        {
            throw Problems.BadRequest("'lines' must list at least one basket line: { \"brand\", \"category\"?, \"amount\" }.");
        }

        if (lines.Count > MaxLines)
        {
            throw Problems.BadRequest($"'lines' lists {lines.Count} lines; at most {MaxLines} are allowed.");
        }

        var purchaseId = PurchaseIdOf(context.Request.Headers[IdempotencyKey], body.PurchaseId);
        var spendByBrand = new Dictionary<string, decimal>(StringComparer.Ordinal);
        decimal total = 0;
        for (var i = 0; i < lines.Count; i++)
        {
            var line = lines[i] ?? throw Problems.BadRequest($"'lines[{i}]' must be an object.");
            var brand = Validate.Id(line.Brand, $"lines[{i}].brand");
            Validate.OptionalText(line.Category, $"lines[{i}].category", 64);
            var amount = line.Amount ?? throw Problems.BadRequest($"'lines[{i}].amount' is required.");
            total += amount is >= 0 and <= 1_000_000 ? amount : throw Problems.BadRequest($"'lines[{i}].amount' must be from 0 to 1000000 (got {amount}).");
            spendByBrand[brand] = spendByBrand.GetValueOrDefault(brand) + amount;
        }

        // One call to the shopper's grain, which keeps the groups they joined, tells those offers, and stores the
        // purchase's event with its record (then sends it to the store's log).
        var shopperId = await ShopperOfAsync(store, body, grains, codes);
        var recorded = await grains.GetGrain<IShopperGrain>(shopperId).RecordPurchase(store, purchaseId, spendByBrand, at)
            ?? throw Problems.NotFound($"Store '{store}' has no such shopper.");
        if (recorded.Repeated)
        {
            if (recorded.Total != total)
            {
                throw Problems.Conflict($"Purchase '{Validate.Truncate(recorded.PurchaseId)}' was reported before with another basket (total {recorded.Total}); give a new purchaseId for a new basket.");
            }

            context.Response.Headers["Idempotent-Replayed"] = "true";
        }

        var purchase = new PurchaseResponse(
            recorded.PurchaseId, shopperId, recorded.At, recorded.Total, [.. recorded.CountedFor.Select(c => new PurchaseAttribution(c.OfferId, c.Treated ? "treated" : "control"))]);
        return TypedResults.Created((string?)null, purchase);
    }

    /// <summary>The till's id of the basket: the header or the body's field (the same if both); null when it gives none.</summary>
    private static string? PurchaseIdOf(string? header, string? field)
    {
        var fromHeader = string.IsNullOrEmpty(header) ? null : header;
        if (fromHeader is not null && field is not null && fromHeader != field)
        {
            throw Problems.BadRequest($"The {IdempotencyKey} header and 'purchaseId' name different purchases; give one, or the same id in both.");
        }

        var id = fromHeader ?? field;
        if (id is not null && (id.Length is 0 or > MaxPurchaseId || id.AsSpan().ContainsAnyExceptInRange('!', '~')))
        {
            throw Problems.BadRequest($"'purchaseId' (or {IdempotencyKey}) must be 1 to {MaxPurchaseId} visible ASCII characters, without spaces.");
        }

        return id;
    }

    private static async Task<string> ShopperOfAsync(string storeId, PurchaseRequest body, IGrainFactory grains, CouponCodeBook codes)
    {
        if ((body.Code is null) == (body.LoyaltyId is null))
        {
            throw Problems.BadRequest("Name the shopper by exactly one of 'code' (a coupon code of theirs) or 'loyaltyId'.");
        }

        string? shopperId;
        if (body.Code is not null)
        {
            var code = Validate.Text(body.Code, "code", 64).ToUpperInvariant();
            shopperId = await codes.ShopperOfAsync(storeId, code)
                ?? throw Problems.NotFound($"Store '{storeId}' has no coupon with code '{Validate.Truncate(code)}'.");
        }
        else
        {
            var loyaltyId = Validate.Id(body.LoyaltyId, "loyaltyId");
            var holder = await grains.GetGrain<ILoyaltyCardGrain>(ShopperGrainKeys.LoyaltyCard(storeId, loyaltyId)).Resolve();
            if (holder.Disputed)
            {
                throw Problems.Conflict($"More than one shopper linked loyalty card '{loyaltyId}': the store confirms its holder first (POST /api/v1/stores/{storeId}/loyalty/{loyaltyId}/confirmation). Name the shopper by a coupon code meanwhile.");
            }

            shopperId = holder.ShopperId ?? throw Problems.NotFound($"No shopper of store '{storeId}' holds loyalty card '{loyaltyId}'.");
        }

        return shopperId;
    }
}
