using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using MessagePack;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;

namespace BeaconEngine.Simulator;

/// <summary>
/// One simulated store over the real protocols: aisles in a row 6 m apart with a gateway in each,
/// shoppers who dwell 4 to 10 s per aisle and walk on, RSSI from a log-distance path-loss model with
/// Gaussian noise and lost packets, and every shopper's app a real SignalR client that acks its coupons.
/// Latency is measured on this process's clock, from the send of the gateway batch that carried the
/// shopper's sightings to the coupon's arrival at the app.
/// </summary>
public sealed class StoreSimulation(SimulationOptions options) : IAsyncDisposable
{
    private const double AisleSpacingMetres = 6;
    private const double GatewayHeightMetres = 1.5;
    private const double TxPowerAt1M = -59;
    private const double PathLossExponent = 2.2;
    private const int AdvertisementsPerSecond = 5;

    private readonly Random _random = new(options.Seed);
    private readonly HttpClient _http = new() { BaseAddress = options.Url, Timeout = TimeSpan.FromSeconds(30) };
    private readonly LatencyRecorder _latency = new();
    private readonly ConcurrentDictionary<string, long> _lastBatchSent = new();
    private readonly List<HubConnection> _connections = [];
    private readonly List<Shopper> _shoppers = [];
    private readonly Dictionary<string, string> _gatewayKeys = [];
    private string _storeId = "";
    private long _sent;
    private long _accepted;
    private long _rejected;
    private long _batchErrors;
    private long _coupons;

    public async Task<int> RunAsync()
    {
        if (options.AdminKey is null)
        {
            Console.Error.WriteLine("No operator key: pass --admin-key or set BeaconEngine__AdminKey.");
            return 2;
        }

        await SetUpStoreAsync();
        await EnrolShoppersAsync();
        Console.WriteLine($"Store {_storeId}: {options.Aisles} aisles, {_shoppers.Count} shoppers connected. Walking for {options.Duration.TotalSeconds:0} s...");

        var clock = Stopwatch.StartNew();
        var second = 0;
        while (clock.Elapsed < options.Duration)
        {
            await SendOneSecondAsync();
            second++;
            var wait = TimeSpan.FromSeconds(second) - clock.Elapsed;
            if (wait > TimeSpan.Zero)
            {
                await Task.Delay(wait);
            }

            if (second % 5 == 0)
            {
                Console.WriteLine($"  {second,4} s  sightings {_sent,8}  coupons {Interlocked.Read(ref _coupons),6}  batch errors {_batchErrors}");
            }
        }

        // Let the last pushes land.
        await Task.Delay(500);
        var seconds = clock.Elapsed.TotalSeconds;
        Console.WriteLine();
        Console.WriteLine($"Sightings sent     {_sent} ({_sent / seconds:0} /s), accepted {_accepted}, rejected {_rejected}, batch errors {_batchErrors}");
        Console.WriteLine($"Coupons received   {_coupons} ({_coupons / seconds:0.0} /s)");
        Console.WriteLine($"End-to-end latency {_latency.Summary()}");
        Console.WriteLine("  (from the send of the gateway batch carrying the shopper's sightings to the coupon's arrival at the app)");
        return _batchErrors == 0 ? 0 : 1;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var connection in _connections)
        {
            await connection.DisposeAsync();
        }

        _http.Dispose();
    }

    private async Task SetUpStoreAsync()
    {
        _storeId = $"sim-{DateTime.UtcNow:yyyyMMddHHmmss}-{_random.Next(1000, 9999)}";
        var aisles = Enumerable.Range(0, options.Aisles).Select(i => new
        {
            id = $"aisle-{i}",
            name = $"Aisle {i}",
            kind = "aisle",
            neighbors = new[] { i - 1, i + 1 }.Where(n => n >= 0 && n < options.Aisles).Select(n => $"aisle-{n}").ToArray(),
        });
        await SendAsync(HttpMethod.Put, $"/api/v1/stores/{_storeId}", options.AdminKey, new { name = "Simulated store", zones = aisles });
        for (var i = 0; i < options.Aisles; i++)
        {
            var gateway = await SendAsync(HttpMethod.Post, $"/api/v1/stores/{_storeId}/gateways", options.AdminKey, new { gatewayId = $"gw-{i}", zoneId = $"aisle-{i}" });
            _gatewayKeys[$"gw-{i}"] = gateway["key"]!.GetValue<string>();
        }

        var brand = await SendAsync(HttpMethod.Post, "/api/v1/brands", options.AdminKey, new { brandId = $"{_storeId}-brand", name = "Simulated brand" });
        var brandKey = brand["key"]!.GetValue<string>();
        for (var i = 0; i < options.Aisles; i++)
        {
            await SendAsync(HttpMethod.Post, "/api/v1/offers", brandKey, new
            {
                storeId = _storeId,
                zoneIds = new[] { $"aisle-{i}" },
                title = $"10% off in aisle {i}",
                discount = new { kind = "percent", value = 10 },
                minDwellSeconds = 3,
            });
        }
    }

    private async Task EnrolShoppersAsync()
    {
        for (var i = 0; i < options.Shoppers; i++)
        {
            var enrolled = await SendAsync(HttpMethod.Post, "/api/v1/shoppers", null, new { storeId = _storeId, consent = new { proximity = true, offers = true } });
            var ad = enrolled["advertisement"]!;
            var shopper = new Shopper(
                enrolled["shopperId"]!.GetValue<string>(),
                new { uuid = ad["uuid"]!.GetValue<string>(), major = ad["major"]!.GetValue<int>(), minor = ad["minor"]!.GetValue<int>() },
                _random.Next(options.Aisles),
                _random.Next(4, 11));
            _shoppers.Add(shopper);

            var token = enrolled["token"]!.GetValue<string>();
            var connection = new HubConnectionBuilder()
                .WithUrl(new Uri(options.Url, "/hubs/shopper"), o =>
                {
                    o.AccessTokenProvider = () => Task.FromResult<string?>(token);
                    o.Transports = HttpTransportType.WebSockets;
                })
                .AddMessagePackProtocol()
                .Build();
            connection.On<SimCoupon>("coupon", coupon =>
            {
                if (_lastBatchSent.TryGetValue(shopper.Id, out var sentAt))
                {
                    _latency.Add(Stopwatch.GetElapsedTime(sentAt).TotalMilliseconds);
                }

                Interlocked.Increment(ref _coupons);
                _ = connection.SendAsync("Ack", coupon.CouponId);
            });
            await connection.StartAsync();
            _connections.Add(connection);
        }
    }

    /// <summary>Each gateway sends one batch with the last second's advertisements it heard.</summary>
    private async Task SendOneSecondAsync()
    {
        foreach (var shopper in _shoppers)
        {
            shopper.Walk(_random, options.Aisles);
        }

        var now = DateTimeOffset.UtcNow;
        var batches = new List<(string Gateway, List<object> Items, List<string> Shoppers)>();
        for (var g = 0; g < options.Aisles; g++)
        {
            var items = new List<object>();
            var heard = new List<string>();
            foreach (var shopper in _shoppers)
            {
                var before = items.Count;
                var distance = Math.Sqrt(Math.Pow((shopper.Aisle - g) * AisleSpacingMetres, 2) + (GatewayHeightMetres * GatewayHeightMetres));
                for (var k = 0; k < AdvertisementsPerSecond; k++)
                {
                    var rssi = TxPowerAt1M - (10 * PathLossExponent * Math.Log10(distance)) + (Gaussian() * options.NoiseDb);
                    if (rssi < -95 || _random.NextDouble() < options.DropRate)
                    {
                        continue;
                    }

                    var ts = now.AddMilliseconds(-1000 + (k * 1000 / AdvertisementsPerSecond)).ToUnixTimeMilliseconds();
                    items.Add(new { ts, rssi = Math.Round(rssi), ibeacon = shopper.Identity });
                }

                if (items.Count > before)
                {
                    heard.Add(shopper.Id);
                }
            }

            if (items.Count > 0)
            {
                batches.Add(($"gw-{g}", items, heard));
            }
        }

        await Task.WhenAll(batches.Select(b => PostBatchAsync(b.Gateway, b.Items, b.Shoppers)));
    }

    private async Task PostBatchAsync(string gatewayId, List<object> items, List<string> shoppers)
    {
        var sentAt = Stopwatch.GetTimestamp();
        foreach (var id in shoppers)
        {
            _lastBatchSent[id] = sentAt;
        }

        Interlocked.Add(ref _sent, items.Count);
        try
        {
            var result = await SendAsync(HttpMethod.Post, "/api/v1/sightings", _gatewayKeys[gatewayId], new { gatewayId, sightings = items });
            Interlocked.Add(ref _accepted, result["accepted"]!.GetValue<int>());
            Interlocked.Add(ref _rejected, result["rejected"]!.AsArray().Count);
        }
        catch (HttpRequestException ex)
        {
            Interlocked.Increment(ref _batchErrors);
            Console.Error.WriteLine($"batch from {gatewayId} failed: {ex.Message}");
        }
    }

    private async Task<JsonObject> SendAsync(HttpMethod method, string path, string? key, object body)
    {
        using var request = new HttpRequestMessage(method, path) { Content = JsonContent.Create(body) };
        if (key is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        }

        using var response = await _http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode)
        {
            throw new HttpRequestException($"{method} {path}: {(int)response.StatusCode} {text}");
        }

        return JsonNode.Parse(text) as JsonObject ?? [];
    }

    private double Gaussian()
    {
        // Box-Muller.
        var u1 = 1.0 - _random.NextDouble();
        var u2 = _random.NextDouble();
        return Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2.0 * Math.PI * u2);
    }

    private sealed class Shopper(string id, object identity, int aisle, int dwellLeft)
    {
        public string Id { get; } = id;

        public object Identity { get; } = identity;

        public int Aisle { get; private set; } = aisle;

        /// <summary>One second passes: dwell on, or walk to a neighbouring aisle.</summary>
        public void Walk(Random random, int aisles)
        {
            if (--dwellLeft > 0)
            {
                return;
            }

            var step = Aisle == 0 ? 1 : Aisle == aisles - 1 ? -1 : random.Next(2) == 0 ? -1 : 1;
            Aisle = Math.Clamp(Aisle + step, 0, aisles - 1);
            dwellLeft = random.Next(4, 11);
        }
    }
}

/// <summary>The hub's coupon as a client declares it from the contract.</summary>
[MessagePackObject]
public sealed class SimCoupon
{
    [Key("couponId")] public string? CouponId { get; set; }

    [Key("offerId")] public string? OfferId { get; set; }

    [Key("brandId")] public string? BrandId { get; set; }

    [Key("title")] public string? Title { get; set; }

    [Key("description")] public string? Description { get; set; }

    [Key("discount")] public Dictionary<string, object>? Discount { get; set; }

    [Key("zoneId")] public string? ZoneId { get; set; }

    [Key("code")] public string? Code { get; set; }

    [Key("issuedAt")] public string? IssuedAt { get; set; }

    [Key("expiresAt")] public string? ExpiresAt { get; set; }
}
