using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using BeaconEngine.Server.Tests.Infrastructure;

namespace BeaconEngine.Server.Tests;

/// <summary>Two people editing one offer: with If-Match, the second to save is told (412) instead of overwriting the first unseen.</summary>
[Collection(SharedEngineA.Name)]
public sealed class OfferVersionTests(EngineFixture fixture)
{
    [Fact]
    public async Task A_put_with_a_stale_if_match_is_a_412_and_changes_nothing_while_a_current_one_lands()
    {
        using var store = await Scenario.CreateAsync(fixture.Host);
        var brand = store.Brands["brand-a"];
        var offerId = await store.CreateOfferAsync("dairy", title: "First title");

        // Two editors read the offer: the same version.
        using var read = await brand.GetAsync($"/api/v1/offers/{offerId}");
        var etag = read.Headers.ETag;
        Assert.NotNull(etag);
        Assert.False(etag.IsWeak);
        Assert.Equal("First title", (await Scenario.Expect(read, HttpStatusCode.OK))["title"]!.GetValue<string>());
        var body = new JsonObject
        {
            ["storeId"] = store.StoreId,
            ["zoneIds"] = new JsonArray("dairy"),
            ["title"] = "",
            ["discount"] = new JsonObject { ["kind"] = "percent", ["value"] = 20 },
            ["holdoutShare"] = 0,
        };

        // The first saves with it and gets the next version.
        using var first = await PutAsync(brand, offerId, Titled(body, "Second title"), etag.Tag);
        await Scenario.Expect(first, HttpStatusCode.OK);
        var next = first.Headers.ETag;
        Assert.NotNull(next);
        Assert.NotEqual(etag.Tag, next.Tag);

        // The second saves with the version it read: 412, and the first editor's change stands.
        using var stale = await PutAsync(brand, offerId, Titled(body, "Third title"), etag.Tag);
        var detail = await Scenario.ExpectProblem(stale, HttpStatusCode.PreconditionFailed);
        Assert.Contains(next.Tag, detail);
        using var after = await brand.GetAsync($"/api/v1/offers/{offerId}");
        Assert.Equal("Second title", (await Scenario.Expect(after, HttpStatusCode.OK))["title"]!.GetValue<string>());
        Assert.Equal(next.Tag, after.Headers.ETag?.Tag);

        // A tag that is not the offer's, or a weak one, matches nothing; '*' matches any version, and no
        // If-Match at all keeps the v1 behaviour (the last write wins).
        await Scenario.ExpectProblem(await PutAsync(brand, offerId, Titled(body, "x"), "\"something-else\""), HttpStatusCode.PreconditionFailed);
        await Scenario.ExpectProblem(await PutAsync(brand, offerId, Titled(body, "x"), $"W/{next.Tag}"), HttpStatusCode.PreconditionFailed);
        await Scenario.Expect(await PutAsync(brand, offerId, Titled(body, "Fourth title"), "*"), HttpStatusCode.OK);
        await Scenario.Expect(await PutAsync(brand, offerId, Titled(body, "Fifth title"), ifMatch: null), HttpStatusCode.OK);
        using var last = await brand.GetAsync($"/api/v1/offers/{offerId}");
        Assert.Equal("Fifth title", (await Scenario.Expect(last, HttpStatusCode.OK))["title"]!.GetValue<string>());
    }

    private static JsonObject Titled(JsonObject offer, string title)
    {
        var body = offer.DeepClone().AsObject();
        body["title"] = title;
        return body;
    }

    private static Task<HttpResponseMessage> PutAsync(HttpClient brand, string offerId, JsonObject body, string? ifMatch)
    {
        var request = new HttpRequestMessage(HttpMethod.Put, $"/api/v1/offers/{offerId}") { Content = JsonContent.Create(body) };
        if (ifMatch is not null)
        {
            request.Headers.TryAddWithoutValidation("If-Match", ifMatch);
        }

        return brand.SendAsync(request);
    }
}
