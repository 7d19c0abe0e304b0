using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using BeaconEngine.Server.Tests.Infrastructure;

namespace BeaconEngine.Console.Tests;

/// <summary>
/// A day in a six-zone store, driven through the real server's public API: shoppers walk the floor (gateway
/// batches with a sighting every 3 s, hours ago and in the last two minutes), the recent ones pass a brand's
/// crisps offer (coupon, its control group or the store's global control group), some open and redeem their
/// coupon, and everyone's baskets come through the till by loyalty card.
/// </summary>
public sealed class SimulatedDay
{
    public static readonly string[] ZoneIds = ["entrance", "produce", "checkout", "dairy", "snacks", "drinks"];

    private readonly Scenario _store;
    private readonly Random _random = new(20);

    private SimulatedDay(Scenario store, string offerId, string brandId)
    {
        _store = store;
        OfferId = offerId;
        BrandId = brandId;
    }

    public string OfferId { get; }

    public string BrandId { get; }

    public int Treated { get; private set; }

    public static async Task<SimulatedDay> RunAsync(Scenario store, EngineHost host, int earlier = 36, int recent = 30)
    {
        // Two rows of three aisles, 8 m by 5 m each; a tenth of the shoppers are the global control group,
        // and the offer holds out 45 % of the rest, so its control group rarely falls under the 5 a figure needs.
        string[][] neighbours = [["produce", "dairy"], ["entrance", "checkout", "snacks"], ["produce", "drinks"], ["entrance", "snacks"], ["dairy", "drinks", "produce"], ["snacks", "checkout"]];
        var zones = ZoneIds.Select((id, i) => new
        {
            id,
            name = char.ToUpperInvariant(id[0]) + id[1..],
            kind = id is "entrance" or "checkout" ? id : "aisle",
            category = id,
            neighbors = neighbours[i],
            shape = new { type = "rect", x = (i % 3) * 8, y = (i / 3) * 5, width = 8, height = 5 },
        }).ToArray();
        await Scenario.Expect(await store.Admin.PutAsJsonAsync($"/api/v1/stores/{store.StoreId}", new { name = "Riverside", timeZone = "Europe/Warsaw", zones, globalControlShare = 0.1 }), HttpStatusCode.OK);
        foreach (var zone in ZoneIds.Where(z => !store.GatewayKeys.ContainsKey($"gw-{z}")))
        {
            await store.RegisterGatewayAsync($"gw-{zone}", zone);
        }

        var offerId = await store.CreateOfferAsync("snacks", title: "Crisps 1.00 off", extra: new { holdoutShare = 0.45, discount = new { kind = "amount", value = 1.0 }, category = "crisps" });
        var offer = await Scenario.Expect(await store.Brands["brand-a"].GetAsync($"/api/v1/offers/{offerId}"), HttpStatusCode.OK);
        var day = new SimulatedDay(store, offerId, offer["brandId"]!.GetValue<string>());

        var now = DateTimeOffset.UtcNow;
        for (var i = 0; i < earlier; i++)
        {
            // Spread over the last eight hours; none of these passes the offer in time for a coupon.
            var start = now.AddHours(-8).AddMinutes(i * 12 + day._random.Next(0, 10));
            await day.ShopAsync(host, $"e{i}", start, recent: false);
        }

        for (var i = 0; i < recent; i++)
        {
            await day.ShopAsync(host, $"r{i}", now.AddSeconds(-115 + day._random.Next(0, 10)), recent: true);
        }

        return day;
    }

    private async Task ShopAsync(EngineHost host, string card, DateTimeOffset start, bool recent)
    {
        var shopper = await _store.EnrolAsync();
        using var me = host.CreateClient(shopper.Token);
        await Scenario.Expect(await me.PutAsJsonAsync("/api/v1/me/loyalty", new { loyaltyId = card }), HttpStatusCode.OK);

        // Entrance, two or three aisles (snacks first for a recent shopper, who must pass the offer in time), the checkout.
        var aisles = new[] { "produce", "dairy", "snacks", "drinks" }.OrderBy(_ => _random.Next()).Take(_random.Next(2, 4)).ToList();
        if (recent)
        {
            aisles.Remove("snacks");
            aisles.Insert(0, "snacks");
            aisles = aisles.Take(2).ToList();
        }

        var at = start;
        foreach (var zone in aisles.Prepend("entrance").Append("checkout"))
        {
            var seconds = recent ? _random.Next(12, 30) : zone switch
            {
                "entrance" => _random.Next(8, 20),
                "checkout" => _random.Next(40, 160),
                "snacks" or "produce" => _random.Next(20, 200),
                _ => _random.Next(10, 90),
            };
            await _store.PostSightingsAsync($"gw-{zone}", Stay(shopper, at, seconds));

            at = at.AddSeconds(seconds + 3);
        }

        // What they buy: the brand's crisps more often when treated, and other lines.
        var wallet = (await Scenario.Expect(await me.GetAsync("/api/v1/me/wallet"), HttpStatusCode.OK))["coupons"]!.AsArray();
        var coupon = wallet.FirstOrDefault();

        if (coupon is not null)
        {
            Treated++;
            if (_random.NextDouble() < 0.5)
            {
                await using var phone = await ShopperApp.ConnectAsync(host.BaseAddress, shopper.Token);
                await phone.AckAsync(coupon["couponId"]!.GetValue<string>());
            }
        }

        var buysBrand = _random.NextDouble() < (coupon is null ? 0.3 : 0.7);
        var lines = new List<object> { new { brand = "house", category = "groceries", amount = Math.Round(5 + (_random.NextDouble() * 40), 2) } };
        if (buysBrand)
        {
            lines.Add(new { brand = BrandId, category = "crisps", amount = Math.Round(1.5 + (_random.NextDouble() * 4), 2) });
            if (coupon is not null)
            {
                await Scenario.Expect(await _store.Admin.PostAsJsonAsync($"/api/v1/stores/{_store.StoreId}/redemptions", new { code = coupon["code"]!.GetValue<string>() }), HttpStatusCode.OK);
            }
        }

        await Scenario.Expect(await _store.Admin.PostAsJsonAsync($"/api/v1/stores/{_store.StoreId}/purchases", new { loyaltyId = card, at = recent ? (DateTimeOffset?)null : at, lines }), HttpStatusCode.Created);
    }

    /// <summary>A stay: stepping in, three loud sightings within a second and a half (the contract's placement), then one every 3 s.</summary>
    private static object[] Stay(EnrolledShopper shopper, DateTimeOffset from, int seconds) =>
        [.. new[] { 0.0, 0.5, 1.0 }.Concat(Enumerable.Range(1, seconds / 3).Select(i => i * 3.0)).Select(s => (object)new
        {
            ts = from.AddSeconds(s).ToUnixTimeMilliseconds(),
            rssi = s <= 1 ? -50 : -60,
            ibeacon = new { uuid = shopper.Uuid, major = shopper.Major, minor = shopper.Minor },
        })];

    public static JsonNode Zone(JsonObject report, string zoneId) =>
        report["zones"]!.AsArray().Single(z => z!["zoneId"]!.GetValue<string>() == zoneId)!;
}
