using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace BeaconEngine.Simulator;

/// <summary>The server's public API as the simulator uses it: operator, brand and shopper calls.</summary>
public sealed class EngineApi(Uri url, string adminKey) : IDisposable
{
    // Sends of one request, the first included, while the server answers 429.
    private const int MaxAttempts = 20;

    private readonly HttpClient _http = new(new SocketsHttpHandler { MaxConnectionsPerServer = 64, PooledConnectionLifetime = TimeSpan.FromMinutes(10) })
    {
        BaseAddress = url,
        Timeout = TimeSpan.FromSeconds(60),
    };

    public Uri Url => url;

    public string AdminKey => adminKey;

    /// <summary>Creates the store, its gateways (returning their keys) and, if asked, a brand with one offer per zone.</summary>
    public async Task<SimStore> SetUpStoreAsync(StoreLayout layout, SimulationOptions options, bool withOffers, Random random)
    {
        var storeId = $"sim-{DateTime.UtcNow:yyyyMMddHHmmss}-{random.Next(1000, 9999)}";
        await SendAsync(HttpMethod.Put, $"/api/v1/stores/{storeId}", adminKey, new
        {
            name = layout.Name,
            zones = layout.Zones.Select(z => new
            {
                id = z.Id,
                name = z.Name ?? z.Id,
                kind = "aisle",
                category = z.Category,
                neighbors = z.Neighbors,
                shape = new { type = "rect", x = z.X, y = z.Y, width = z.Width, height = z.Height },
            }),
            contactPolicy = new { maxCouponsPerDay = 100, minGapMinutes = options.MinGapMinutes, quietAfterDismissalMinutes = 0 },
            proximity = options.Proximity,
            identity = options.Identity.ToString().ToLowerInvariant(),
            rotationPeriodSeconds = options.Identity == PhoneIdentity.Rotating ? options.RotationSeconds : (int?)null,
        });
        var gatewayKeys = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var gateway in layout.Gateways)
        {
            var created = await SendAsync(HttpMethod.Post, $"/api/v1/stores/{storeId}/gateways", adminKey, new { gatewayId = gateway.Id, zoneId = gateway.ZoneId, position = new { x = gateway.X, y = gateway.Y } });
            gatewayKeys[gateway.Id] = created["key"]!.GetValue<string>();
        }

        Guid? beaconUuid = null;
        if (options.PhonesRange)
        {
            // A beacon hangs beside each gateway, so both directions see the same floor through the same path loss.
            beaconUuid = Guid.NewGuid();
            for (var i = 0; i < layout.Gateways.Count; i++)
            {
                var gateway = layout.Gateways[i];
                await SendAsync(HttpMethod.Post, $"/api/v1/stores/{storeId}/beacons", adminKey, new
                {
                    beaconId = $"bk-{gateway.Id}",
                    zoneId = gateway.ZoneId,
                    ibeacon = new { uuid = beaconUuid, major = 1, minor = i + 1 },
                    txPower = layout.TxPower,
                });
            }
        }

        if (withOffers)
        {
            var brand = await SendAsync(HttpMethod.Post, "/api/v1/brands", adminKey, new { brandId = $"{storeId}-brand", name = "Simulated brand" });
            var brandKey = brand["key"]!.GetValue<string>();
            foreach (var zone in layout.Zones)
            {
                await SendAsync(HttpMethod.Post, "/api/v1/offers", brandKey, new
                {
                    storeId,
                    zoneIds = new[] { zone.Id },
                    title = $"10% off in {zone.Name ?? zone.Id}",
                    discount = new { kind = "percent", value = 10 },
                    minDwellSeconds = 3,
                    maxPerShopper = 1_000,
                    holdoutShare = 0,
                });
            }
        }

        return new SimStore(storeId, gatewayKeys, beaconUuid);
    }

    public async Task<Enrolment> EnrolAsync(string storeId)
    {
        // With the operator's key: anonymous enrolment is paced per address, and the simulator enrols thousands from one.
        var enrolled = await SendAsync(HttpMethod.Post, "/api/v1/shoppers", adminKey, new { storeId, consent = new { proximity = true, offers = true } });
        var ad = enrolled["advertisement"]!;
        return new Enrolment(
            enrolled["shopperId"]!.GetValue<string>(),
            enrolled["token"]!.GetValue<string>(),
            Guid.Parse(ad["uuid"]!.GetValue<string>()),
            ad["major"]!.GetValue<int>(),
            ad["minor"]!.GetValue<int>(),
            enrolled["rotation"] is { } rotation
                ? new PhoneRotation(Convert.FromHexString(rotation["secret"]!.GetValue<string>()), rotation["periodSeconds"]!.GetValue<int>())
                : null);
    }

    /// <summary>Enrols many shoppers, a few at a time.</summary>
    public async Task<Enrolment[]> EnrolManyAsync(string storeId, int count, int parallel, Action<int>? progress = null)
    {
        var results = new Enrolment[count];
        var done = 0;
        await Parallel.ForAsync(0, count, new ParallelOptions { MaxDegreeOfParallelism = parallel }, async (i, _) =>
        {
            results[i] = await EnrolAsync(storeId);
            progress?.Invoke(Interlocked.Increment(ref done));
        });
        return results;
    }

    /// <summary>The zones the engine placed a shopper in, as (entered, exited, zone) in Unix milliseconds.</summary>
    public async Task<List<(long Entered, long? Exited, string? Zone)>> TrailAsync(string storeId, string shopperId)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/api/v1/stores/{storeId}/shoppers/{shopperId}/trail");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", adminKey);
        using var response = await _http.SendAsync(request);
        response.EnsureSuccessStatusCode();
        var trail = JsonNode.Parse(await response.Content.ReadAsStringAsync())!["transitions"]!.AsArray();
        return [.. trail.Select(t => (
            DateTimeOffset.Parse(t!["enteredAt"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture).ToUnixTimeMilliseconds(),
            t["exitedAt"] is { } exited ? DateTimeOffset.Parse(exited.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture).ToUnixTimeMilliseconds() : (long?)null,
            t["zoneId"]?.GetValue<string>()))];
    }

    /// <summary>The server's memory and activations; with <paramref name="collectIdleSeconds"/>, after deactivating grains idle that long.</summary>
    public async Task<JsonObject> DiagnosticsAsync(int? collectIdleSeconds = null)
    {
        using var request = collectIdleSeconds is { } idle
            ? new HttpRequestMessage(HttpMethod.Post, $"/api/v1/diagnostics/collect?idleSeconds={idle}")
            : new HttpRequestMessage(HttpMethod.Get, "/api/v1/diagnostics");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", adminKey);
        using var response = await _http.SendAsync(request);
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            throw new InvalidOperationException("The server serves no diagnostics: start it with --diagnostics (BeaconEngine:Diagnostics=true).");
        }

        response.EnsureSuccessStatusCode();
        return JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject();
    }

    /// <summary>
    /// The server's own share of coupon latency (batch arrival to push) since the last reset, or, with
    /// <paramref name="reset"/>, starts it afresh. Null from a server that does not measure it.
    /// </summary>
    public async Task<JsonObject?> EngineLatencyAsync(bool reset)
    {
        using var request = new HttpRequestMessage(reset ? HttpMethod.Delete : HttpMethod.Get, "/api/v1/diagnostics/coupon-latency");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", adminKey);
        using var response = await _http.SendAsync(request);
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }

        response.EnsureSuccessStatusCode();
        return reset ? [] : JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject();
    }

    /// <summary>Whether the server serves the bare-transport floor route (started with --diagnostics --baseline).</summary>
    public async Task<bool> HasBaselineAsync(string gatewayKey)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/baseline/sightings") { Content = JsonContent.Create(new { sightings = Array.Empty<object>() }) };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", gatewayKey);
        using var response = await _http.SendAsync(request);
        return response.StatusCode == HttpStatusCode.Accepted;
    }

    /// <summary>Sends, and on a 429 waits as long as Retry-After says and sends again, as a polite client does.</summary>
    public async Task<JsonObject> SendAsync(HttpMethod method, string path, string? key, object body)
    {
        for (var attempt = 1; ; attempt++)
        {
            using var request = new HttpRequestMessage(method, path) { Content = JsonContent.Create(body) };
            if (key is not null)
            {
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
            }

            using var response = await _http.SendAsync(request);
            if (response.StatusCode == HttpStatusCode.TooManyRequests && attempt < MaxAttempts)
            {
                await Task.Delay(response.Headers.RetryAfter?.Delta ?? TimeSpan.FromSeconds(1));
                continue;
            }

            return await ReadAsync(method, path, response);
        }
    }

    private static async Task<JsonObject> ReadAsync(HttpMethod method, string path, HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode)
        {
            throw new HttpRequestException($"{method} {path}: {(int)response.StatusCode} {text}");
        }

        return JsonNode.Parse(text) as JsonObject ?? [];
    }

    public void Dispose() => _http.Dispose();
}

/// <summary>
/// <paramref name="BeaconUuid"/>: the region of the store's beacons (one beside each gateway, minor = its index + 1), when phones range.
/// <paramref name="Phones"/>: what each enrolled phone advertises (set once the shoppers are enrolled).
/// </summary>
public sealed record SimStore(string StoreId, IReadOnlyDictionary<string, string> GatewayKeys, Guid? BeaconUuid = null, PhoneIdentities? Phones = null);

/// <summary><paramref name="Rotation"/>: the secret and period of a rotating store's enrolment (null in a static store).</summary>
public sealed record Enrolment(string ShopperId, string Token, Guid Uuid, int Major, int Minor, PhoneRotation? Rotation = null);
