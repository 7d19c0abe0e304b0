using System.Diagnostics;
using System.Net;
using BeaconEngine.Cluster.Tests.Infrastructure;
using BeaconEngine.Server.Tests.Infrastructure;
using Npgsql;

namespace BeaconEngine.Cluster.Tests;

/// <summary>Two nodes on PostgreSQL: gateways, phones and brands each use whichever node they like.</summary>
public sealed class PostgresCrossNodeTests(PostgresTwoNodeFixture cluster) : CrossNodeTests(cluster), IClassFixture<PostgresTwoNodeFixture>
{
    [Fact]
    public async Task The_empty_database_was_given_the_schema_once_and_holds_membership_and_grain_state()
    {
        var store = await ClusterScenario.CreateAsync(cluster.A);
        await using var database = new NpgsqlConnection(cluster.Cluster.Postgres!.ConnectionString);
        await database.OpenAsync();

        // Both nodes started on the empty database; the schema was made once, at the version this build needs.
        var versions = await ReadAsync(database, "SELECT version, name FROM beaconengine_schema ORDER BY version", r => $"{r.GetInt32(0)}:{r.GetString(1)}");
        Assert.Equal(["1:orleans_adonet", "2:clear_deletes_row"], versions);

        // Orleans' membership: the two nodes, active (status 3), in this test's cluster.
        var active = await ReadAsync(database, $"SELECT port FROM orleansmembershiptable WHERE deploymentid = '{cluster.Cluster.ClusterId}' AND status = 3", r => r.GetInt32(0));
        Assert.Equal(2, active.Count);

        // The store made through node A is a row of grain state, keyed by its id.
        var rows = await ReadAsync(database, $"SELECT version FROM orleansstorage WHERE grainidextensionstring = '{store.StoreId}' AND payloadbinary IS NOT NULL", r => r.GetInt32(0));
        Assert.NotEmpty(rows);
    }

    [Fact]
    public async Task Erasure_deletes_the_shoppers_rows_so_none_carries_the_shoppers_id()
    {
        var store = await ClusterScenario.CreateAsync(cluster.A);
        await store.CreateOfferAsync(cluster.B, "dairy");
        var shopper = await store.EnrolAsync(cluster.A);
        await store.PostSightingsAsync(cluster.B, "gw-dairy", ClusterScenario.Approach(shopper));
        Assert.Single(await ClusterScenario.WalletAsync(cluster.A, shopper));
        await using var database = new NpgsqlConnection(cluster.Cluster.Postgres!.ConnectionString);
        await database.OpenAsync();
        var keyed = $"SELECT graintypestring FROM orleansstorage WHERE grainidextensionstring LIKE '%{shopper.ShopperId}%'";
        Assert.NotEmpty(await ReadAsync(database, keyed, r => r.GetString(0)));

        using (var app = cluster.B.CreateClient(shopper.Token))
        {
            await ClusterScenario.Expect(await app.DeleteAsync("/api/v1/me"), System.Net.HttpStatusCode.NoContent);
        }

        // No row is keyed by the shopper's id any more (it was a row with a null payload), and no payload names it.
        Assert.Empty(await ReadAsync(database, keyed, r => r.GetString(0)));
        var named = await ReadAsync(
            database,
            $"SELECT graintypestring FROM orleansstorage WHERE position(convert_to('{shopper.ShopperId}', 'UTF8') in payloadbinary) > 0",
            r => r.GetString(0));
        Assert.True(named.Count == 0, $"Rows whose state still names the shopper: {string.Join(", ", named)}");

        // A new shopper's grains are written from nothing as before, and the store carries on.
        var next = await store.EnrolAsync(cluster.B);
        await store.PostSightingsAsync(cluster.A, "gw-dairy", ClusterScenario.Approach(next));
        Assert.Single(await ClusterScenario.WalletAsync(cluster.B, next));
    }

    private static async Task<List<T>> ReadAsync<T>(NpgsqlConnection database, string sql, Func<NpgsqlDataReader, T> read)
    {
        await using var command = new NpgsqlCommand(sql, database);
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<T>();
        while (await reader.ReadAsync())
        {
            rows.Add(read(reader));
        }

        return rows;
    }
}

/// <summary>The same on Redis.</summary>
public sealed class RedisCrossNodeTests(RedisTwoNodeFixture cluster) : CrossNodeTests(cluster), IClassFixture<RedisTwoNodeFixture>;

/// <summary>Two nodes of one cluster: gateways, phones and brands each use whichever node they like.</summary>
public abstract class CrossNodeTests(TwoNodeClusterFixture cluster)
{
    private NodeProcess A => cluster.A;

    private NodeProcess B => cluster.B;

    [Fact]
    public async Task A_shopper_connected_to_node_A_gets_the_coupon_for_sightings_posted_to_node_B()
    {
        var store = await ClusterScenario.CreateAsync(A);
        await store.CreateOfferAsync(B, "dairy");
        var shopper = await store.EnrolAsync(B);

        // The shopper's grain lives on one of the two nodes, so one of these two connections is always
        // on the other node: both must get the coupon, whichever node issues it.
        await using var phoneOnA = await ShopperApp.ConnectAsync(A.BaseAddress, shopper.Token);
        await using var tabletOnB = await ShopperApp.ConnectAsync(B.BaseAddress, shopper.Token, HubProtocol.MessagePack);
        await store.PostSightingsAsync(B, "gw-dairy", ClusterScenario.Approach(shopper));

        var onA = await phoneOnA.NextCouponAsync();
        var onB = await tabletOnB.NextCouponAsync();
        Assert.Equal(onA.CouponId, onB.CouponId);
        Assert.Equal("dairy", onA.ZoneId);
        Assert.False(string.IsNullOrEmpty(onA.Code));

        // Stored before it was pushed: the wallet shows it on either node.
        Assert.Equal(onA.CouponId, (await ClusterScenario.WalletAsync(A, shopper)).Single()!["couponId"]!.GetValue<string>());
        Assert.Equal(onA.CouponId, (await ClusterScenario.WalletAsync(B, shopper)).Single()!["couponId"]!.GetValue<string>());

        // A second shopper, connected to A only.
        var other = await store.EnrolAsync(A);
        await using var otherPhone = await ShopperApp.ConnectAsync(A.BaseAddress, other.Token);
        await store.PostSightingsAsync(B, "gw-dairy", ClusterScenario.Approach(other));
        var coupon = await otherPhone.NextCouponAsync();
        Assert.NotEqual(onA.CouponId, coupon.CouponId);
        Assert.Empty(phoneOnA.Drain());
    }

    [Fact]
    public async Task A_budget_of_100_stays_exact_with_triggers_spread_over_both_nodes()
    {
        var store = await ClusterScenario.CreateAsync(A);
        var offerId = await store.CreateOfferAsync(A, "dairy", budget: 100);
        var nodes = new[] { A, B };
        var shoppers = new List<EnrolledShopper>();
        foreach (var chunk in Enumerable.Range(0, 130).Chunk(10))
        {
            shoppers.AddRange(await Task.WhenAll(chunk.Select(i => store.EnrolAsync(nodes[i % 2]))));
        }

        // 13 gateway batches of 10 shoppers each, sent at once, alternating between the nodes.
        var at = DateTimeOffset.UtcNow;
        var batches = shoppers.Chunk(10).Select((group, i) =>
            store.PostSightingsAsync(nodes[i % 2], "gw-dairy", group.SelectMany(s => ClusterScenario.Approach(s, at))));
        var results = await Task.WhenAll(batches);
        Assert.All(results, r => Assert.Equal(30, r["accepted"]!.GetValue<int>()));

        var stats = await store.OfferStatsAsync(B, offerId);
        Assert.Equal(100, stats["issued"]!.GetValue<int>());
        Assert.Equal(0, stats["remainingBudget"]!.GetValue<int>());

        var held = 0;
        foreach (var chunk in shoppers.Chunk(10))
        {
            var wallets = await Task.WhenAll(chunk.Select((s, i) => ClusterScenario.WalletAsync(nodes[i % 2], s)));
            held += wallets.Sum(w => w.Count);
        }

        Assert.Equal(100, held);
    }

    [Fact]
    public async Task A_gateway_registered_on_node_A_is_accepted_by_node_B_at_once()
    {
        var store = await ClusterScenario.CreateAsync(A);
        var shopper = await store.EnrolAsync(A);

        // B reads the store now and may keep that view for 5 s.
        var warmed = Stopwatch.StartNew();
        await store.PostSightingsAsync(B, "gw-dairy", ClusterScenario.Approach(shopper));

        await store.RegisterGatewayAsync(A, "gw-new", "snacks");
        var accepted = false;
        while (!accepted && warmed.Elapsed < TimeSpan.FromSeconds(4))
        {
            using var response = await store.TryPostSightingsAsync(B, "gw-new", ClusterScenario.Approach(shopper, DateTimeOffset.UtcNow));
            accepted = response.StatusCode == HttpStatusCode.Accepted;
            if (!accepted)
            {
                Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
                await Task.Delay(50);
            }
        }

        // Well before B's 5 s refresh would have found the gateway.
        Assert.True(accepted, "Node B still refused the new gateway 4 s after node A registered it.");
    }
}
