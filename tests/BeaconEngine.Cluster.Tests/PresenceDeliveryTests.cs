using System.Net.Http.Json;
using System.Text.Json.Nodes;
using BeaconEngine.Cluster.Tests.Infrastructure;
using BeaconEngine.Server.Tests.Infrastructure;
using Npgsql;
using Xunit.Abstractions;

namespace BeaconEngine.Cluster.Tests;

/// <summary>
/// Three nodes: a coupon goes to the node holding the phone's connection and nowhere else, so it costs at most
/// one message between nodes (counted by each node), and none while the phone is offline.
/// </summary>
public sealed class PresenceDeliveryTests(ITestOutputHelper output)
{
    [Fact]
    public async Task On_three_nodes_each_coupon_costs_at_most_one_cross_node_message_and_an_offline_phone_costs_none()
    {
        await using var cluster = await Infrastructure.Cluster.StartOnPostgresAsync(3);
        var nodes = cluster.Nodes;
        var store = await ClusterScenario.CreateAsync(nodes[0]);
        await store.CreateOfferAsync(nodes[1], "dairy");

        // Nine shoppers, each with one phone on node i % 3, each placed through another node's gateway route.
        const int Shoppers = 9;
        var shoppers = new List<EnrolledShopper>();
        var phones = new List<ShopperApp>();
        try
        {
            for (var i = 0; i < Shoppers; i++)
            {
                shoppers.Add(await store.EnrolAsync(nodes[(i + 2) % 3]));
                phones.Add(await ShopperApp.ConnectAsync(nodes[i % 3].BaseAddress, shoppers[i].Token));
            }

            for (var i = 0; i < Shoppers; i++)
            {
                await store.PostSightingsAsync(nodes[(i + 1) % 3], "gw-dairy", ClusterScenario.Approach(shoppers[i]));
            }

            var coupons = new List<WireCoupon>();
            foreach (var phone in phones)
            {
                coupons.Add(await phone.NextCouponAsync());
            }

            var messages = await CrossNodeMessagesAsync(nodes);
            output.WriteLine($"{coupons.Count} coupons, {messages} cross-node coupon messages (the per-node broadcast sent {coupons.Count * (nodes.Count - 1)}).");
            Assert.True(messages <= coupons.Count, $"{messages} cross-node messages for {coupons.Count} coupons.");

            // Counted for real: with phones on every node, some coupons had to cross.
            Assert.True(messages > 0, "No coupon crossed nodes; the count is not being kept.");

            // Once each, to its own phone only.
            await Task.Delay(300);
            Assert.All(phones, p => Assert.Empty(p.Drain()));
        }
        finally
        {
            foreach (var phone in phones)
            {
                await phone.DisposeAsync();
            }
        }

        // A shopper with no phone connected: the coupon is issued, stays in the wallet and costs no message.
        var offline = await store.EnrolAsync(nodes[0]);
        var before = await CrossNodeMessagesAsync(nodes);
        var writesBefore = await StoredWritesAsync(cluster.Postgres!);
        await store.PostSightingsAsync(nodes[1], "gw-dairy", ClusterScenario.Approach(offline));
        var held = await ClusterScenario.WalletAsync(nodes[2], offline);
        Assert.Single(held);
        Assert.Equal(before, await CrossNodeMessagesAsync(nodes));

        // For docs/estate-scale.md: the database writes of one placement and its coupon, and the state per grain kind.
        output.WriteLine($"Database writes for one shopper's three sightings and coupon: {await StoredWritesAsync(cluster.Postgres!) - writesBefore}.");
        foreach (var line in await StateSizesAsync(cluster.Postgres!))
        {
            output.WriteLine(line);
        }

        // And the app gets it on connecting, from the wallet.
        await using var late = await ShopperApp.ConnectAsync(nodes[2].BaseAddress, offline.Token);
        Assert.Equal(held.Single()!["couponId"]!.GetValue<string>(), (await late.NextCouponAsync()).CouponId);
    }

    // Every write of a grain's state adds one to its row's version (a first write makes it 1).
    private static async Task<long> StoredWritesAsync(PostgresServer postgres)
    {
        await using var database = new NpgsqlConnection(postgres.ConnectionString);
        await database.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT COALESCE(SUM(version), 0) FROM orleansstorage", database);
        return Convert.ToInt64(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
    }

    private static async Task<List<string>> StateSizesAsync(PostgresServer postgres)
    {
        await using var database = new NpgsqlConnection(postgres.ConnectionString);
        await database.OpenAsync();
        await using var command = new NpgsqlCommand(
            "SELECT graintypestring, COUNT(*), AVG(octet_length(payloadbinary))::int, AVG(pg_column_size(orleansstorage.*))::int FROM orleansstorage GROUP BY 1 ORDER BY 1", database);
        await using var reader = await command.ExecuteReaderAsync();
        var lines = new List<string>();
        while (await reader.ReadAsync())
        {
            lines.Add($"{reader.GetString(0)}: {reader.GetInt64(1)} rows, payload {reader.GetInt32(2)} B, row {reader.GetInt32(3)} B on average");
        }

        return lines;
    }

    private static async Task<long> CrossNodeMessagesAsync(IReadOnlyList<NodeProcess> nodes)
    {
        long total = 0;
        foreach (var node in nodes)
        {
            using var admin = node.CreateClient(NodeProcess.AdminKey);
            var body = await admin.GetFromJsonAsync<JsonObject>("/api/v1/cluster");
            total += body!["couponMessagesFromOtherNodes"]!.GetValue<long>();
        }

        return total;
    }
}
