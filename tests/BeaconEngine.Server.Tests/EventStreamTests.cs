using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using BeaconEngine.Contracts.Events;
using BeaconEngine.Grains.Shoppers;
using BeaconEngine.Server.Tests.Infrastructure;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Serialization;

namespace BeaconEngine.Server.Tests;

/// <summary>
/// The store's event stream on a real server: read by offset as NDJSON, long-polled, as server-sent events, and
/// pushed to a real HTTP listener as a signed webhook; resumed across restarts on the same data.
/// </summary>
public sealed class EventStreamTests
{
    // Small segments, so a handful of events spans several and the log moves from one to the next.
    private static readonly string[] SmallSegments = ["--BeaconEngine:Events:SegmentSize", "4"];

    [Fact]
    public async Task A_reader_resumes_after_a_restart_from_its_last_offset_with_no_gap_and_nothing_before_it_again()
    {
        var data = EngineHost.NewDataPath();
        try
        {
            Scenario store;
            var shopperIds = new List<string>();
            List<JsonObject> before;
            await using (var first = await EngineHost.StartAsync(data, SmallSegments))
            {
                store = await Scenario.CreateAsync(first);
                await store.CreateOfferAsync("dairy");

                // Six coupons (issued), three redeemed at the till, two baskets: eleven events.
                var codes = new List<string>();
                for (var i = 0; i < 6; i++)
                {
                    var shopper = await store.EnrolAsync();
                    shopperIds.Add(shopper.ShopperId);
                    await store.PostSightingsAsync("gw-dairy", Scenario.Approach(shopper));
                    using var me = first.CreateClient(shopper.Token);
                    codes.Add((await Scenario.Expect(await me.GetAsync("/api/v1/me/wallet"), HttpStatusCode.OK))["coupons"]![0]!["code"]!.GetValue<string>());
                }

                foreach (var code in codes.Take(3))
                {
                    await Scenario.Expect(await store.Admin.PostAsJsonAsync($"/api/v1/stores/{store.StoreId}/redemptions", new { code }), HttpStatusCode.OK);
                }

                foreach (var code in codes.Skip(4))
                {
                    await Scenario.Expect(await store.Admin.PostAsJsonAsync($"/api/v1/stores/{store.StoreId}/purchases", new { code, lines = new[] { new { brand = "milk-co", amount = 3.5m } } }), HttpStatusCode.Created);
                }

                before = await ReadUntilAsync(store.Admin, store.StoreId, 11);
                Assert.Equal(Enumerable.Range(1, 11).Select(i => (long)i), before.Select(Offset));
                Assert.Equal(6, before.Count(e => Type(e) == "issued"));
                Assert.Equal(3, before.Count(e => Type(e) == "redeemed"));
                Assert.Equal(2, before.Count(e => Type(e) == "purchase"));

                // The client has read five events when the server goes down.
                var firstFive = await ReadAsync(store.Admin, $"/api/v1/stores/{store.StoreId}/events?after=0&limit=5");
                Assert.Equal([1L, 2, 3, 4, 5], firstFive.Select(Offset));
                store.Dispose();
            }

            await using var second = await EngineHost.StartAsync(data, SmallSegments);
            using var moved = store.MovedTo(second);

            // New events after the restart continue the offsets.
            var late = await moved.EnrolAsync();
            shopperIds.Add(late.ShopperId);
            await moved.PostSightingsAsync("gw-dairy", Scenario.Approach(late));

            var resumed = await ReadUntilAsync(moved.Admin, moved.StoreId, 12, after: 5);
            Assert.Equal(Enumerable.Range(6, 7).Select(i => (long)i), resumed.Select(Offset));
            Assert.Equal(before.Skip(5).Select(e => e.ToJsonString()), resumed.Take(6).Select(e => e.ToJsonString()));
            Assert.Equal("issued", Type(resumed[^1]));

            // Shoppers are named by pseudonym only: no shopper id anywhere in the stream.
            var all = await RawAsync(moved.Admin, $"/api/v1/stores/{moved.StoreId}/events");
            Assert.All(shopperIds, id => Assert.DoesNotContain(id, all, StringComparison.Ordinal));
            Assert.All(before.Concat(resumed), e => Assert.Matches("^[0-9a-f]{32}$", e["shopper"]!.GetValue<string>()));
        }
        finally
        {
            EngineHost.TryDelete(data);
        }
    }

    [Fact]
    public async Task After_a_sigkill_every_event_a_reader_saw_keeps_its_offset_and_the_offsets_stay_without_gaps()
    {
        var data = EngineHost.NewDataPath();
        var seen = new List<JsonObject>();
        try
        {
            Scenario store;
            List<EnrolledShopper> shoppers;
            var start = DateTimeOffset.UtcNow;
            using (var process = await ServerProcess.StartAsync(data, SmallSegments))
            {
                store = await Scenario.CreateAsync(EngineHost.Attach(process.BaseAddress, data));
                await store.CreateOfferAsync("dairy");
                shoppers = await Guarantees.BudgetAndRedemptionTests.EnrolManyAsync(store, 30);

                // Arrivals stream in (each a coupon, so an event) while a reader follows the log; the process is
                // killed once the reader has seen a few, with more on their way.
                using var streaming = new CancellationTokenSource();
                var stream = Task.Run(async () =>
                {
                    for (var i = 0; i < shoppers.Count && !streaming.IsCancellationRequested; i++)
                    {
                        try
                        {
                            await store.PostSightingsAsync("gw-dairy", Scenario.Approach(shoppers[i], start.AddMilliseconds(100 * i)));
                        }
                        catch (Exception) when (streaming.IsCancellationRequested)
                        {
                            return;
                        }
                    }
                });
                var deadline = DateTime.UtcNow.AddSeconds(60);
                while (seen.Count < 8)
                {
                    Assert.True(DateTime.UtcNow < deadline, $"the reader saw only {seen.Count} events:\n{process.Output}");
                    var cursor = seen.Count == 0 ? 0 : Offset(seen[^1]);
                    seen.AddRange(await ReadAsync(store.Admin, $"/api/v1/stores/{store.StoreId}/events?after={cursor}&wait=5"));
                }

                // The stream is told to stop first, so the request the kill cuts short is known to be expected.
                await streaming.CancelAsync();
                process.Kill();
                await stream;
            }

            using var restarted = await ServerProcess.StartAsync(data, SmallSegments);
            using var again = store.MovedTo(EngineHost.Attach(restarted.BaseAddress, data));
            store.Dispose();
            var after = await ReadAsync(again.Admin, $"/api/v1/stores/{again.StoreId}/events?after=0");

            // Offsets 1, 2, 3, ... with no gap; what the reader saw is there as it saw it; no coupon twice.
            Assert.Equal(Enumerable.Range(1, after.Count).Select(i => (long)i), after.Select(Offset));
            Assert.Equal(seen.Select(e => e.ToJsonString()), after.Take(seen.Count).Select(e => e.ToJsonString()));
            var coupons = after.Where(e => Type(e) == "issued").Select(e => e["couponId"]!.GetValue<string>()).ToList();
            Assert.Equal(coupons.Count, coupons.Distinct().Count());

            // The log carries on after the last stored offset.
            var late = await again.EnrolAsync();
            await again.PostSightingsAsync("gw-dairy", Scenario.Approach(late));
            var next = await ReadUntilAsync(again.Admin, again.StoreId, after.Count + 1, after: after.Count);
            Assert.Equal(after.Count + 1, Offset(next[0]));
        }
        finally
        {
            EngineHost.TryDelete(data);
        }
    }

    [Fact]
    public async Task Coupons_and_purchases_acknowledged_just_before_a_sigkill_are_in_the_stream_after_the_restart_exactly_once()
    {
        var data = EngineHost.NewDataPath();
        try
        {
            Scenario store;
            var shoppers = new List<EnrolledShopper>();
            var coupons = new List<string>();
            var codes = new List<string>();
            using (var process = await ServerProcess.StartAsync(data, SmallSegments))
            {
                var host = EngineHost.Attach(process.BaseAddress, data);
                store = await Scenario.CreateAsync(host);
                await store.CreateOfferAsync("dairy");

                // Each coupon is acknowledged (the gateway's batch answered, the wallet holds it); each basket is
                // answered 201 under the till's key. The process is killed at once, with no wait for the stream.
                for (var i = 0; i < 8; i++)
                {
                    var shopper = await store.EnrolAsync();
                    shoppers.Add(shopper);
                    await store.PostSightingsAsync("gw-dairy", Scenario.Approach(shopper));
                    using var me = host.CreateClient(shopper.Token);
                    var coupon = (await Scenario.Expect(await me.GetAsync("/api/v1/me/wallet"), HttpStatusCode.OK))["coupons"]![0]!;
                    coupons.Add(coupon["couponId"]!.GetValue<string>());
                    codes.Add(coupon["code"]!.GetValue<string>());
                }

                for (var i = 0; i < 4; i++)
                {
                    await Scenario.Expect(await PurchaseAsync(store, codes[i], $"till-1-{i}"), HttpStatusCode.Created);
                }

                process.Kill();
            }

            using var restarted = await ServerProcess.StartAsync(data, SmallSegments);
            var again = EngineHost.Attach(restarted.BaseAddress, data);
            using var moved = store.MovedTo(again);
            store.Dispose();

            // The till did not hear its answers and sends the baskets again: each is answered as the first time.
            for (var i = 0; i < 4; i++)
            {
                using var retried = await PurchaseAsync(moved, codes[i], $"till-1-{i}");
                Assert.Equal(HttpStatusCode.Created, retried.StatusCode);
                Assert.Equal("true", retried.Headers.GetValues("Idempotent-Replayed").Single());
            }

            // Every shopper's app asks for the wallet (their grains wake up and send what their records hold).
            foreach (var shopper in shoppers)
            {
                using var me = again.CreateClient(shopper.Token);
                await Scenario.Expect(await me.GetAsync("/api/v1/me/wallet"), HttpStatusCode.OK);
            }

            var deadline = DateTime.UtcNow.AddSeconds(30);
            List<JsonObject> events;
            while (true)
            {
                events = await ReadAsync(moved.Admin, $"/api/v1/stores/{moved.StoreId}/events?after=0");
                var issuedSeen = events.Where(e => Type(e) == "issued").Select(e => e["couponId"]!.GetValue<string>()).ToHashSet();
                var purchasesSeen = events.Count(e => Type(e) == "purchase");
                if (coupons.All(issuedSeen.Contains) && purchasesSeen >= 4)
                {
                    break;
                }

                Assert.True(DateTime.UtcNow < deadline, $"after the restart the stream holds {events.Count} events: {string.Join(", ", events.Select(Type))}");
                await Task.Delay(200);
            }

            // Resends (the shoppers' records still held events the log had stored) have had their time: nothing doubled.
            await Task.Delay(TimeSpan.FromSeconds(2));
            events = await ReadAsync(moved.Admin, $"/api/v1/stores/{moved.StoreId}/events?after=0");
            Assert.Equal(Enumerable.Range(1, events.Count).Select(i => (long)i), events.Select(Offset));
            Assert.Equal(coupons.Order(StringComparer.Ordinal), events.Where(e => Type(e) == "issued").Select(e => e["couponId"]!.GetValue<string>()).Order(StringComparer.Ordinal));
            Assert.Equal(Enumerable.Range(0, 4).Select(i => $"till-1-{i}"), events.Where(e => Type(e) == "purchase").Select(e => e["purchaseId"]!.GetValue<string>()).Order(StringComparer.Ordinal));
            Assert.Equal(events.Count, events.Select(e => e["id"]!.GetValue<string>()).Distinct().Count());
        }
        finally
        {
            EngineHost.TryDelete(data);
        }
    }

    [Fact]
    public async Task An_event_a_crash_left_in_a_shoppers_record_reaches_the_stream_at_start_without_the_shopper_coming_back()
    {
        var data = EngineHost.NewDataPath();
        try
        {
            Scenario store;
            EnrolledShopper shopper;
            string couponId;
            using (var process = await ServerProcess.StartAsync(data, SmallSegments))
            {
                var host = EngineHost.Attach(process.BaseAddress, data);
                store = await Scenario.CreateAsync(host);
                await store.CreateOfferAsync("dairy");
                shopper = await store.EnrolAsync();
                await store.PostSightingsAsync("gw-dairy", Scenario.Approach(shopper));
                using var me = host.CreateClient(shopper.Token);
                couponId = (await Scenario.Expect(await me.GetAsync("/api/v1/me/wallet"), HttpStatusCode.OK))["coupons"]![0]!["couponId"]!.GetValue<string>();
                await Eventually.WaitAsync(
                    async () => await ReadAsync(store.Admin, $"/api/v1/stores/{store.StoreId}/events?after=0"),
                    events => events.Any(e => Type(e) == "issued"),
                    within: TimeSpan.FromSeconds(30),
                    what: "the coupon's event in the stream");
                process.Kill();
            }

            // The moment a crash can leave: the app's acknowledgement stored with the wallet, its event in the record's
            // outbox, the log never told. Written into the stopped server's file as the shopper's grain would have.
            var serializer = new ServiceCollection()
                .AddSerializer(b => b.AddAssembly(typeof(ShopperState).Assembly).AddAssembly(typeof(StoreEvent).Assembly))
                .BuildServiceProvider()
                .GetRequiredService<Serializer>();
            await using (var file = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = Path.Combine(data, "beaconengine.db"), Pooling = false }.ToString()))
            {
                await file.OpenAsync();
                await using var read = file.CreateCommand();
                read.CommandText = "SELECT grain_id, data FROM grain_state WHERE state_name = 'shopper' AND grain_id LIKE '%/' || $id";
                read.Parameters.AddWithValue("$id", shopper.ShopperId);
                string grainId;
                ShopperState record;
                await using (var row = await read.ExecuteReaderAsync())
                {
                    Assert.True(await row.ReadAsync(), "the shopper's record in the file");
                    grainId = row.GetString(0);
                    record = serializer.Deserialize<ShopperState>((byte[])row.GetValue(1))!;
                }

                // The record may still hold the coupon's event, which the log stored: its resend must show once.
                Assert.All(record.StoreEvents(), e => Assert.Equal(StoreEventTypes.Issued, e.Type));
                record.RecordEvent(new StoreEvent { Type = StoreEventTypes.Delivered, At = DateTimeOffset.UtcNow, CouponId = couponId });
                await using var write = file.CreateCommand();
                write.CommandText = "UPDATE grain_state SET data = $d WHERE grain_id = $g AND state_name = 'shopper'";
                write.Parameters.AddWithValue("$d", serializer.SerializeToArray(record));
                write.Parameters.AddWithValue("$g", grainId);
                Assert.Equal(1, await write.ExecuteNonQueryAsync());
            }

            // Nobody calls for the shopper after the restart: no sighting, no app, no till.
            using var restarted = await ServerProcess.StartAsync(data, SmallSegments);
            var again = EngineHost.Attach(restarted.BaseAddress, data);
            using var moved = store.MovedTo(again);
            store.Dispose();
            var seen = await Eventually.WaitAsync(
                async () => await ReadAsync(moved.Admin, $"/api/v1/stores/{moved.StoreId}/events?after=0"),
                events => events.Any(e => Type(e) == "delivered"),
                within: TimeSpan.FromSeconds(30),
                what: "the event the record held, sent at start");
            // The resend has had its time: each event once, offsets without gaps.
            await Task.Delay(TimeSpan.FromSeconds(2));
            seen = await ReadAsync(moved.Admin, $"/api/v1/stores/{moved.StoreId}/events?after=0");
            var delivered = Assert.Single(seen, e => Type(e) == "delivered");
            Assert.Equal(couponId, delivered["couponId"]!.GetValue<string>());
            Assert.Equal(couponId, Assert.Single(seen, e => Type(e) == "issued")["couponId"]!.GetValue<string>());
            Assert.Equal(Enumerable.Range(1, seen.Count).Select(i => (long)i), seen.Select(Offset));
        }
        finally
        {
            EngineHost.TryDelete(data);
        }
    }

    private static Task<HttpResponseMessage> PurchaseAsync(Scenario store, string code, string purchaseId)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/stores/{store.StoreId}/purchases")
        {
            Content = JsonContent.Create(new { code, lines = new[] { new { brand = "milk-co", amount = 3.5m } } }),
        };
        request.Headers.Add("Idempotency-Key", purchaseId);
        return store.Admin.SendAsync(request);
    }

    [Fact]
    public async Task A_long_poll_answers_when_an_event_arrives_and_server_sent_events_resume_from_the_last_event_id()
    {
        await using var host = await EngineHost.StartAsync(null, SmallSegments);
        using var store = await Scenario.CreateAsync(host);
        await store.CreateOfferAsync("dairy");
        var shopper = await store.EnrolAsync();
        await store.PostSightingsAsync("gw-dairy", Scenario.Approach(shopper));
        using var me = host.CreateClient(shopper.Token);
        var code = (await Scenario.Expect(await me.GetAsync("/api/v1/me/wallet"), HttpStatusCode.OK))["coupons"]![0]!["code"]!.GetValue<string>();
        for (var i = 0; i < 4; i++)
        {
            await Scenario.Expect(await store.Admin.PostAsJsonAsync($"/api/v1/stores/{store.StoreId}/purchases", new { code, lines = new[] { new { brand = "milk-co", amount = 1m + i } } }), HttpStatusCode.Created);
        }

        var five = await ReadUntilAsync(store.Admin, store.StoreId, 5);

        // Nothing past 5: the long-poll waits, and answers with the event that arrives meanwhile.
        var polling = store.Admin.GetAsync($"/api/v1/stores/{store.StoreId}/events?after=5&wait=25");
        await Scenario.Expect(await store.Admin.PostAsJsonAsync($"/api/v1/stores/{store.StoreId}/redemptions", new { code }), HttpStatusCode.OK);
        using var polled = await polling;
        Assert.Equal(HttpStatusCode.OK, polled.StatusCode);
        Assert.Equal("application/x-ndjson", polled.Content.Headers.ContentType?.MediaType);
        var arrived = Lines(await polled.Content.ReadAsStringAsync());
        Assert.Equal(6, Offset(Assert.Single(arrived)));
        Assert.Equal("redeemed", Type(arrived[0]));
        Assert.Equal("6", polled.Headers.GetValues("X-BeaconEngine-Next-After").Single());

        // A JSON page, for clients that prefer one.
        using var pageRequest = new HttpRequestMessage(HttpMethod.Get, $"/api/v1/stores/{store.StoreId}/events?after=4&limit=1");
        pageRequest.Headers.Accept.ParseAdd("application/json");
        var page = await Scenario.Expect(await store.Admin.SendAsync(pageRequest), HttpStatusCode.OK);
        Assert.Equal((1L, 6L, 5L), (page["firstOffset"]!.GetValue<long>(), page["lastOffset"]!.GetValue<long>(), page["nextAfter"]!.GetValue<long>()));
        Assert.Equal(five[4].ToJsonString(), page["events"]![0]!.ToJsonString());

        // Server-sent events from the start: ids are offsets.
        using (var sse = await OpenEventStreamAsync(store.Admin, $"/api/v1/stores/{store.StoreId}/events", lastEventId: null))
        {
            var seen = new List<(string Id, string Type, JsonObject Data)>();
            while (seen.Count < 3)
            {
                seen.Add(await sse.NextAsync());
            }

            Assert.Equal(["1", "2", "3"], seen.Select(s => s.Id));
            Assert.Equal(five[2].ToJsonString(), seen[2].Data.ToJsonString());
        }

        // The browser reconnects with its URL (after=0 here) and Last-Event-ID: 3, which wins; then a live event arrives.
        using var resumed = await OpenEventStreamAsync(store.Admin, $"/api/v1/stores/{store.StoreId}/events?after=0", lastEventId: "3");
        var next = new List<(string Id, string Type, JsonObject Data)>();
        while (next.Count < 3)
        {
            next.Add(await resumed.NextAsync());
        }

        Assert.Equal(["4", "5", "6"], next.Select(s => s.Id));
        Assert.Equal("redeemed", next[2].Type);
        await Scenario.Expect(await store.Admin.PostAsJsonAsync($"/api/v1/stores/{store.StoreId}/purchases", new { code, lines = new[] { new { brand = "milk-co", amount = 9m } } }), HttpStatusCode.Created);
        var live = await resumed.NextAsync();
        Assert.Equal(("7", "purchase", 9m), (live.Id, live.Type, live.Data["total"]!.GetValue<decimal>()));
    }

    [Fact]
    public async Task The_webhook_is_signed_redelivered_after_a_failure_and_resumed_after_a_restart_from_the_acknowledged_offset()
    {
        var data = EngineHost.NewDataPath();
        await using var receiver = WebhookReceiver.Start();
        string[] args = [.. SmallSegments, "--BeaconEngine:Events:Webhook:FirstRetryDelay", "00:00:00.200", "--BeaconEngine:Events:Webhook:PollEvery", "00:00:00.050"];
        try
        {
            Scenario store;
            string secret, code;
            await using (var first = await EngineHost.StartAsync(data, args))
            {
                store = await Scenario.CreateAsync(first);
                await store.CreateOfferAsync("dairy");

                // No secret given: the server makes one and shows it this once.
                var registered = await Scenario.Expect(await store.Admin.PutAsJsonAsync($"/api/v1/stores/{store.StoreId}/webhook", new { url = receiver.Url }), HttpStatusCode.OK);
                secret = registered["secret"]!.GetValue<string>();
                Assert.StartsWith("whsec_", secret, StringComparison.Ordinal);
                Assert.Equal(0, registered["acknowledgedOffset"]!.GetValue<long>());
                var shown = await Scenario.Expect(await store.Admin.GetAsync($"/api/v1/stores/{store.StoreId}/webhook"), HttpStatusCode.OK);
                Assert.Equal(receiver.Url, shown["url"]!.GetValue<string>());
                Assert.Null(shown["secret"]);

                // The receiver is down for the first request; the same events come again and are taken.
                receiver.Answer = 503;
                var shopper = await store.EnrolAsync();
                await store.PostSightingsAsync("gw-dairy", Scenario.Approach(shopper));
                var failed = await receiver.NextAsync();
                Assert.Equal(503, failed.Status);
                receiver.Answer = 200;
                var taken = await receiver.NextAsync();
                Assert.Equal(200, taken.Status);
                Assert.Equal(failed.Body, taken.Body);
                Assert.Equal("1-1", taken.Offsets);
                var issued = Assert.Single(Events(taken));
                Assert.Equal(("issued", store.StoreId), (Type(issued), issued["storeId"]!.GetValue<string>()));
                await Eventually.WaitAsync(
                    async () => await Scenario.Expect(await store.Admin.GetAsync($"/api/v1/stores/{store.StoreId}/webhook"), HttpStatusCode.OK),
                    w => w["acknowledgedOffset"]!.GetValue<long>() == 1, what: "the acknowledgement to be stored");

                // Down again: two baskets wait for it while the server restarts.
                receiver.Answer = 503;
                using var me = first.CreateClient(shopper.Token);
                code = (await Scenario.Expect(await me.GetAsync("/api/v1/me/wallet"), HttpStatusCode.OK))["coupons"]![0]!["code"]!.GetValue<string>();
                for (var i = 0; i < 2; i++)
                {
                    await Scenario.Expect(await store.Admin.PostAsJsonAsync($"/api/v1/stores/{store.StoreId}/purchases", new { code, lines = new[] { new { brand = "milk-co", amount = 2m } } }), HttpStatusCode.Created);
                }

                await ReadUntilAsync(store.Admin, store.StoreId, 3);
                var refused = await receiver.NextAsync();
                Assert.Equal(503, refused.Status);
                Assert.StartsWith("2-", refused.Offsets, StringComparison.Ordinal);
                store.Dispose();
            }

            receiver.Answer = 200;
            await using var second = await EngineHost.StartAsync(data, args);
            using var moved = store.MovedTo(second);

            // Nobody calls the store: the server resumes the webhook on its own, from the acknowledged offset.
            WebhookReceiver.Delivery resumed;
            do
            {
                resumed = await receiver.NextAsync();
            }
            while (resumed.Status != 200);

            Assert.Equal("2-3", resumed.Offsets);
            Assert.Equal(["purchase", "purchase"], Events(resumed).Select(Type));
            await Eventually.WaitAsync(
                async () => await Scenario.Expect(await moved.Admin.GetAsync($"/api/v1/stores/{moved.StoreId}/webhook"), HttpStatusCode.OK),
                w => w["acknowledgedOffset"]!.GetValue<long>() == 3 && w["failedAttempts"]!.GetValue<int>() == 0, what: "delivery to catch up");

            // Every request was signed over "t.body" with the store's secret, as a receiver checks it.
            foreach (var delivery in receiver.Received)
            {
                var parts = delivery.Signature.Split(',').Select(p => p.Split('=', 2)).ToDictionary(p => p[0], p => p[1]);
                var expected = Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes($"{parts["t"]}.{delivery.Body}")));
                Assert.Equal(expected, parts["v1"]);
                Assert.InRange(long.Parse(parts["t"], CultureInfo.InvariantCulture), DateTimeOffset.UtcNow.AddMinutes(-2).ToUnixTimeSeconds(), DateTimeOffset.UtcNow.ToUnixTimeSeconds());
            }

            // Accepted deliveries cover every offset once, in order.
            Assert.Equal([1L, 2, 3], receiver.Received.Where(d => d.Status == 200).SelectMany(Events).Select(Offset));

            // Removed: no more deliveries, and the route says so.
            Assert.Equal(HttpStatusCode.NoContent, (await moved.Admin.DeleteAsync($"/api/v1/stores/{moved.StoreId}/webhook")).StatusCode);
            await Scenario.ExpectProblem(await moved.Admin.GetAsync($"/api/v1/stores/{moved.StoreId}/webhook"), HttpStatusCode.NotFound);
        }
        finally
        {
            EngineHost.TryDelete(data);
        }
    }

    [Fact]
    public async Task Bad_offsets_and_webhooks_are_problems_naming_the_field_and_events_past_retention_are_gone()
    {
        // Two events a segment and four kept: the oldest segments go as the log grows. Internal targets refused.
        await using var host = await EngineHost.StartAsync(null,
            "--BeaconEngine:Events:SegmentSize", "2", "--BeaconEngine:Events:MaxEvents", "4",
            "--BeaconEngine:Events:Webhook:AllowInternalTargets", "false");
        using var store = await Scenario.CreateAsync(host);
        var events = $"/api/v1/stores/{store.StoreId}/events";

        Assert.Contains("'after'", await Scenario.ExpectProblem(await store.Admin.GetAsync($"{events}?after=abc"), HttpStatusCode.BadRequest), StringComparison.Ordinal);
        Assert.Contains("'after'", await Scenario.ExpectProblem(await store.Admin.GetAsync($"{events}?after=-1"), HttpStatusCode.BadRequest), StringComparison.Ordinal);
        Assert.Contains("'after' is 7", await Scenario.ExpectProblem(await store.Admin.GetAsync($"{events}?after=7"), HttpStatusCode.BadRequest), StringComparison.Ordinal);
        Assert.Contains("'limit'", await Scenario.ExpectProblem(await store.Admin.GetAsync($"{events}?limit=0"), HttpStatusCode.BadRequest), StringComparison.Ordinal);
        Assert.Contains("'wait'", await Scenario.ExpectProblem(await store.Admin.GetAsync($"{events}?wait=99"), HttpStatusCode.BadRequest), StringComparison.Ordinal);
        using (var request = new HttpRequestMessage(HttpMethod.Get, events))
        {
            request.Headers.TryAddWithoutValidation("Last-Event-ID", "yesterday");
            Assert.Contains("'Last-Event-ID'", await Scenario.ExpectProblem(await store.Admin.SendAsync(request), HttpStatusCode.BadRequest), StringComparison.Ordinal);
        }

        await Scenario.ExpectProblem(await store.Admin.GetAsync("/api/v1/stores/no-such-store/events"), HttpStatusCode.NotFound);

        var webhook = $"/api/v1/stores/{store.StoreId}/webhook";
        await Scenario.ExpectProblem(await store.Admin.GetAsync(webhook), HttpStatusCode.NotFound);
        await Scenario.ExpectProblem(await store.Admin.DeleteAsync(webhook), HttpStatusCode.NotFound);
        Assert.Contains("'url'", await Scenario.ExpectProblem(await store.Admin.PutAsJsonAsync(webhook, new { secret = "0123456789abcdef" }), HttpStatusCode.BadRequest), StringComparison.Ordinal);
        Assert.Contains("'url'", await Scenario.ExpectProblem(await store.Admin.PutAsJsonAsync(webhook, new { url = "ftp://example.com/hook" }), HttpStatusCode.BadRequest), StringComparison.Ordinal);
        Assert.Contains("'url'", await Scenario.ExpectProblem(await store.Admin.PutAsJsonAsync(webhook, new { url = "not a url" }), HttpStatusCode.BadRequest), StringComparison.Ordinal);
        Assert.Contains("'url'", await Scenario.ExpectProblem(await store.Admin.PutAsJsonAsync(webhook, new { url = "https://user:pass@example.com/hook" }), HttpStatusCode.BadRequest), StringComparison.Ordinal);
        foreach (var internalUrl in new[] { "http://127.0.0.1:9/hook", "http://localhost/hook", "http://10.1.2.3/hook", "http://169.254.169.254/latest/meta-data", "http://[::1]/hook" })
        {
            Assert.Contains("internal", await Scenario.ExpectProblem(await store.Admin.PutAsJsonAsync(webhook, new { url = internalUrl }), HttpStatusCode.BadRequest), StringComparison.Ordinal);
        }

        Assert.Contains("'secret'", await Scenario.ExpectProblem(await store.Admin.PutAsJsonAsync(webhook, new { url = "https://example.com/hook", secret = "short" }), HttpStatusCode.BadRequest), StringComparison.Ordinal);
        Assert.Contains("'after'", await Scenario.ExpectProblem(await store.Admin.PutAsJsonAsync(webhook, new { url = "https://example.com/hook", after = 3 }), HttpStatusCode.BadRequest), StringComparison.Ordinal);
        await Scenario.ExpectProblem(await store.Admin.PutAsync(webhook, new StringContent("""{"url":5}""", Encoding.UTF8, "application/json")), HttpStatusCode.BadRequest);
        await Scenario.ExpectProblem(await store.Admin.GetAsync(webhook), HttpStatusCode.NotFound);

        // Eight events fill four segments; the oldest is removed when the log moves on, so events 1 and 2 are gone.
        await store.CreateOfferAsync("dairy");
        var shopper = await store.EnrolAsync();
        await store.PostSightingsAsync("gw-dairy", Scenario.Approach(shopper));
        using var me = host.CreateClient(shopper.Token);
        var code = (await Scenario.Expect(await me.GetAsync("/api/v1/me/wallet"), HttpStatusCode.OK))["coupons"]![0]!["code"]!.GetValue<string>();
        for (var i = 0; i < 8; i++)
        {
            await Scenario.Expect(await store.Admin.PostAsJsonAsync($"/api/v1/stores/{store.StoreId}/purchases", new { code, lines = new[] { new { brand = "milk-co", amount = 1m } } }), HttpStatusCode.Created);
        }

        var kept = await Eventually.WaitAsync(() => ReadAsync(store.Admin, events), e => e.Count > 0 && Offset(e[^1]) == 9 && Offset(e[0]) > 1, what: "the log to reach 9 and drop its oldest");
        Assert.Equal(Enumerable.Range((int)Offset(kept[0]), 10 - (int)Offset(kept[0])).Select(i => (long)i), kept.Select(Offset));
        var gone = await Scenario.ExpectProblem(await store.Admin.GetAsync($"{events}?after=0"), HttpStatusCode.Gone);
        Assert.Contains($"The oldest kept is {Offset(kept[0])}", gone, StringComparison.Ordinal);
        Assert.Equal(kept.Select(e => e.ToJsonString()), (await ReadAsync(store.Admin, $"{events}?after={Offset(kept[0]) - 1}")).Select(e => e.ToJsonString()));
    }

    private static long Offset(JsonObject e) => e["offset"]!.GetValue<long>();

    private static string Type(JsonObject e) => e["type"]!.GetValue<string>();

    private static List<JsonObject> Events(WebhookReceiver.Delivery delivery) =>
        [.. JsonNode.Parse(delivery.Body)!["events"]!.AsArray().Select(e => e!.AsObject())];

    private static List<JsonObject> Lines(string ndjson) =>
        [.. ndjson.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonNode.Parse(l)!.AsObject())];

    private static async Task<string> RawAsync(HttpClient client, string path)
    {
        using var response = await client.GetAsync(path);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadAsStringAsync();
    }

    private static async Task<List<JsonObject>> ReadAsync(HttpClient client, string path) => Lines(await RawAsync(client, path));

    /// <summary>Reads after <paramref name="after"/> with long-polls until the newest offset is <paramref name="last"/>.</summary>
    private static async Task<List<JsonObject>> ReadUntilAsync(HttpClient client, string storeId, long last, long after = 0)
    {
        var events = new List<JsonObject>();
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while ((events.Count == 0 ? after : Offset(events[^1])) < last)
        {
            Assert.True(DateTime.UtcNow < deadline, $"the log did not reach {last}; read {events.Count} events");
            var cursor = events.Count == 0 ? after : Offset(events[^1]);
            events.AddRange(await ReadAsync(client, $"/api/v1/stores/{storeId}/events?after={cursor}&wait=5"));
        }

        return events;
    }

    private static async Task<EventStream> OpenEventStreamAsync(HttpClient client, string path, string? lastEventId)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/event-stream"));
        if (lastEventId is not null)
        {
            request.Headers.TryAddWithoutValidation("Last-Event-ID", lastEventId);
        }

        var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        return new EventStream(response, new StreamReader(await response.Content.ReadAsStreamAsync(), Encoding.UTF8));
    }

    /// <summary>A server-sent events reader, as an EventSource parses them: fields until a blank line.</summary>
    private sealed class EventStream(HttpResponseMessage response, StreamReader reader) : IDisposable
    {
        public async Task<(string Id, string Type, JsonObject Data)> NextAsync()
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
            string? id = null, type = null, data = null;
            while (true)
            {
                var line = await reader.ReadLineAsync(timeout.Token) ?? throw new InvalidOperationException("the stream ended");
                if (line.Length == 0)
                {
                    if (data is not null)
                    {
                        return (id!, type!, JsonNode.Parse(data)!.AsObject());
                    }

                    continue;
                }

                var (field, value) = line.IndexOf(':') is var colon and > 0 ? (line[..colon], line[(colon + 1)..].TrimStart()) : (line, "");
                switch (field)
                {
                    case "id": id = value; break;
                    case "event": type = value; break;
                    case "data": data = value; break;
                }
            }
        }

        public void Dispose()
        {
            reader.Dispose();
            response.Dispose();
        }
    }
}
