using System.Net;
using System.Net.Http.Json;
using BeaconEngine.Server.Tests.Infrastructure;
using Microsoft.Data.Sqlite;

namespace BeaconEngine.Server.Tests.Guarantees;

/// <summary>Strangers leave no trace; a shopper who withdraws consent stops being tracked at once.</summary>
public sealed class PrivacyTests : IAsyncLifetime
{
    private EngineHost _host = null!;

    public async Task InitializeAsync() => _host = await EngineHost.StartAsync();

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task Sightings_of_identities_no_consenting_shopper_holds_are_dropped_before_anything_is_stored()
    {
        using var store = await Scenario.CreateAsync(_host);
        var shopper = await store.EnrolAsync();
        var declined = await store.EnrolAsync(proximity: false);
        using var admin = _host.CreateClient(EngineHost.AdminKey);
        var storeUuid = (await Scenario.Expect(await admin.GetAsync($"/api/v1/stores/{store.StoreId}"), HttpStatusCode.OK))["beaconUuid"]!.GetValue<string>();
        var before = StoredRows();

        // The store's own UUID with identities nobody holds, another store's UUID, a stranger's raw frame,
        // and an enrolled shopper who said no to proximity.
        var strangers = Enumerable.Range(0, 60).Select(i => (object)new
        {
            rssi = -55,
            ibeacon = new { uuid = i % 2 == 0 ? storeUuid : Guid.NewGuid().ToString(), major = 60_000 + i, minor = i },
        }).Append(new { rssi = -60, rawData = "0201061AFF4C000215" + Guid.NewGuid().ToString("N") + "00010002C5" })
            .Concat(Scenario.Approach(declined, rssi: -50)).ToList();
        var result = await store.PostSightingsAsync("gw-dairy", strangers);

        Assert.Equal((0, strangers.Count), (result["accepted"]!.GetValue<int>(), result["dropped"]!.GetValue<int>()));
        Assert.Equal(before, StoredRows());
        foreach (var id in new[] { shopper.ShopperId, declined.ShopperId })
        {
            Assert.Empty((await Scenario.Expect(await admin.GetAsync($"/api/v1/stores/{store.StoreId}/shoppers/{id}/trail"), HttpStatusCode.OK))["transitions"]!.AsArray());
        }
    }

    [Fact]
    public async Task Withdrawing_consent_stops_tracking_at_once_and_giving_it_again_resumes()
    {
        using var store = await Scenario.CreateAsync(_host);
        await store.CreateOfferAsync("snacks");
        var shopper = await store.EnrolAsync();
        var t0 = DateTimeOffset.UtcNow.AddSeconds(-30);
        await store.PostSightingsAsync("gw-dairy", Scenario.Approach(shopper, t0));
        using var me = _host.CreateClient(shopper.Token);
        var trailPath = $"/api/v1/stores/{store.StoreId}/shoppers/{shopper.ShopperId}/trail";
        Assert.Equal("dairy", (await Scenario.Expect(await store.Admin.GetAsync(trailPath), HttpStatusCode.OK))["transitions"]![0]!["zoneId"]!.GetValue<string>());

        var consent = await Scenario.Expect(await me.PutAsJsonAsync("/api/v1/me/consent", new { proximity = false, offers = true }), HttpStatusCode.OK);
        Assert.False(consent["consent"]!["proximity"]!.GetValue<bool>());
        Assert.False((await Scenario.Expect(await me.GetAsync("/api/v1/me"), HttpStatusCode.OK))["consent"]!["proximity"]!.GetValue<bool>());

        // Where the shopper has been is forgotten, and the very next batch is dropped: no move to snacks,
        // no trail, no snacks coupon.
        var result = await store.PostSightingsAsync("gw-snacks", Scenario.Approach(shopper, t0.AddSeconds(10), rssi: -50));
        Assert.Equal((0, 3), (result["accepted"]!.GetValue<int>(), result["dropped"]!.GetValue<int>()));
        Assert.Empty((await Scenario.Expect(await store.Admin.GetAsync(trailPath), HttpStatusCode.OK))["transitions"]!.AsArray());
        Assert.Empty((await Scenario.Expect(await me.GetAsync("/api/v1/me/wallet"), HttpStatusCode.OK))["coupons"]!.AsArray());

        await Scenario.ExpectProblem(await me.PutAsJsonAsync("/api/v1/me/consent", new { proximity = true }), HttpStatusCode.BadRequest);
        await Scenario.Expect(await me.PutAsJsonAsync("/api/v1/me/consent", new { proximity = true, offers = true }), HttpStatusCode.OK);
        result = await store.PostSightingsAsync("gw-snacks", Scenario.Approach(shopper, t0.AddSeconds(20), rssi: -50));
        Assert.Equal(3, result["accepted"]!.GetValue<int>());
        var trail = (await Scenario.Expect(await store.Admin.GetAsync(trailPath), HttpStatusCode.OK))["transitions"]!.AsArray();
        Assert.Equal("snacks", trail[^1]!["zoneId"]!.GetValue<string>());
    }

    /// <summary>How many state rows the database holds and the newest version: any write changes the pair.</summary>
    private (long Rows, long Version) StoredRows()
    {
        using var db = new SqliteConnection($"Data Source={Path.Combine(_host.DataPath, "beaconengine.db")};Mode=ReadOnly;Pooling=False");
        db.Open();
        using var command = db.CreateCommand();
        command.CommandText = "SELECT count(*), coalesce(max(version), 0) FROM grain_state";
        using var reader = command.ExecuteReader();
        reader.Read();
        return (reader.GetInt64(0), reader.GetInt64(1));
    }
}
