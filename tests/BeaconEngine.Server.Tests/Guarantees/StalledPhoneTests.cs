using System.Net;
using System.Net.WebSockets;
using BeaconEngine.Server.Hubs;
using BeaconEngine.Server.Tests.Infrastructure;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;

namespace BeaconEngine.Server.Tests.Guarantees;

/// <summary>
/// A phone that stops reading its socket, with large messages piled up for it, does not hold the answer of a
/// gateway batch that names its shopper: the push is the connection's problem.
/// </summary>
public sealed class StalledPhoneTests
{
    [Fact]
    public async Task A_phone_that_stops_reading_does_not_hold_a_gateway_batch_and_its_coupon_waits_in_the_wallet()
    {
        await using var host = await EngineHost.StartAsync();
        using var store = await Scenario.CreateAsync(host);
        await store.CreateOfferAsync("dairy");
        var shopper = await store.EnrolAsync();
        var other = await store.EnrolAsync();

        // A real SignalR client on a WebSocket that stops reading once connected.
        PausableWebSocket? socket = null;
        await using var stalled = new HubConnectionBuilder()
            .WithUrl(new Uri(host.BaseAddress, ShopperHub.Path), o =>
            {
                o.AccessTokenProvider = () => Task.FromResult<string?>(shopper.Token);
                o.Transports = HttpTransportType.WebSockets;
                o.SkipNegotiation = true;
                o.WebSocketFactory = async (context, token) =>
                {
                    var inner = new ClientWebSocket();
                    inner.Options.SetRequestHeader("Authorization", $"Bearer {shopper.Token}");
                    await inner.ConnectAsync(context.Uri, token);
                    return socket = new PausableWebSocket(inner);
                };
            })
            .Build();
        stalled.On<object>(ShopperHub.CouponMethod, _ => { });
        await stalled.StartAsync();
        socket!.Pause();
        await using var healthy = await ShopperApp.ConnectAsync(host.BaseAddress, other.Token);

        // Large messages pile up for the stalled phone until a write to it no longer completes: its socket,
        // the kernel's buffers and the server's pipe are full.
        var hub = host.Services.GetRequiredService<IHubContext<ShopperHub>>();
        var filler = new string('x', 64 * 1024);
        Task pending = Task.CompletedTask;
        for (var i = 0; i < 2_000; i++)
        {
            if (!pending.IsCompleted)
            {
                // Slow is not stuck on a busy machine: stuck is still not written two seconds later.
                await Task.WhenAny(pending, Task.Delay(TimeSpan.FromSeconds(2)));
                if (!pending.IsCompleted)
                {
                    break;
                }
            }

            pending = hub.Clients.User(shopper.ShopperId).SendAsync(ShopperHub.CouponMethod, new { couponId = $"filler-{i}", description = filler });
            await Task.WhenAny(pending, Task.Delay(i < 10 ? 50 : 500));
        }

        Assert.False(pending.IsCompleted, "the stalled phone's connection never filled up");

        // The gateway's batch naming the stalled shopper (and another) answers while the write is still stuck.
        var answer = await store.PostSightingsAsync("gw-dairy", [.. Scenario.Approach(shopper), .. Scenario.Approach(other)]);
        Assert.Equal(6, answer["accepted"]!.GetValue<int>());
        Assert.False(pending.IsCompleted, "the stalled write completed, so the batch was not tested against it");

        // The other shopper's phone has its coupon; the stalled shopper's coupon is in the wallet for later.
        await healthy.NextCouponAsync();
        using var wallet = host.CreateClient(shopper.Token);
        var coupons = (await Scenario.Expect(await wallet.GetAsync("/api/v1/me/wallet"), HttpStatusCode.OK))["coupons"]!.AsArray();
        Assert.Single(coupons);
        socket.Resume();
    }
}
