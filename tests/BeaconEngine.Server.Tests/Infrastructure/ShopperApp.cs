using System.Text.Json;
using System.Threading.Channels;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;

namespace BeaconEngine.Server.Tests.Infrastructure;

public enum HubProtocol
{
    Json,
    MessagePack,
}

/// <summary>A shopper's phone: a real SignalR client on WebSockets that collects the coupons it receives.</summary>
public sealed class ShopperApp : IAsyncDisposable
{
    private readonly Channel<WireCoupon> _coupons = Channel.CreateUnbounded<WireCoupon>();

    private ShopperApp(HubConnection connection) => Connection = connection;

    public HubConnection Connection { get; }

    public static async Task<ShopperApp> ConnectAsync(Uri baseAddress, string token, HubProtocol protocol = HubProtocol.Json)
    {
        var builder = new HubConnectionBuilder().WithUrl(new Uri(baseAddress, "/hubs/shopper"), o =>
        {
            o.AccessTokenProvider = () => Task.FromResult<string?>(token);
            o.Transports = HttpTransportType.WebSockets;
        });
        if (protocol == HubProtocol.MessagePack)
        {
            builder.AddMessagePackProtocol();
        }

        var connection = builder.Build();
        var app = new ShopperApp(connection);
        if (protocol == HubProtocol.MessagePack)
        {
            connection.On<WireCoupon>("coupon", c => app._coupons.Writer.TryWrite(c));
        }
        else
        {
            // Read raw JSON so the test sees the exact property names on the wire.
            connection.On<JsonElement>("coupon", json => app._coupons.Writer.TryWrite(FromJson(json)));
        }

        await connection.StartAsync();
        return app;
    }

    /// <summary>The next coupon to arrive; fails the test if none comes within <paramref name="timeout"/>.</summary>
    public async Task<WireCoupon> NextCouponAsync(TimeSpan? timeout = null)
    {
        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(15));
        try
        {
            return await _coupons.Reader.ReadAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException("No coupon arrived at this shopper's connection in time.");
        }
    }

    /// <summary>Coupons that arrived and were not yet read.</summary>
    public List<WireCoupon> Drain()
    {
        var list = new List<WireCoupon>();
        while (_coupons.Reader.TryRead(out var c))
        {
            list.Add(c);
        }

        return list;
    }

    public Task AckAsync(string couponId) => Connection.InvokeAsync("Ack", couponId);

    public Task DismissAsync(string couponId) => Connection.InvokeAsync("Dismiss", couponId);

    public async ValueTask DisposeAsync() => await Connection.DisposeAsync();

    private static WireCoupon FromJson(JsonElement json)
    {
        static string? S(JsonElement e, string name) => e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
        return new WireCoupon
        {
            CouponId = S(json, "couponId"),
            OfferId = S(json, "offerId"),
            BrandId = S(json, "brandId"),
            Title = S(json, "title"),
            Description = S(json, "description"),
            Discount = json.TryGetProperty("discount", out var d)
                ? new WireDiscount { Kind = S(d, "kind"), Value = d.GetProperty("value").GetDouble() }
                : null,
            ZoneId = S(json, "zoneId"),
            Code = S(json, "code"),
            IssuedAt = S(json, "issuedAt"),
            ExpiresAt = S(json, "expiresAt"),
        };
    }
}
