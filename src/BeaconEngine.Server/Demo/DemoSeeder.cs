using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using BeaconEngine.Server.Hosting;
using BeaconEngine.Server.Security;
using Microsoft.Extensions.Options;

namespace BeaconEngine.Server.Demo;

/// <summary>
/// Seeds a small demo store through the server's own public API, so a newcomer can try the whole flow
/// at once. The keys it made are kept in <c>demo.json</c> in the data folder and printed on every demo start.
/// </summary>
public static class DemoSeeder
{
    public const string StoreId = "demo-store";
    public const string FileName = "demo.json";
    public const string StoreName = "BeaconEngine demo store";

    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };
    private static readonly string[] DairyZones = ["dairy"];
    private static readonly string[] SnackZones = ["snacks"];

    private static readonly (string Id, string Name, string Category, string[] Neighbors)[] Zones =
    [
        ("entrance", "Entrance", "entrance", ["produce", "checkout"]),
        ("produce", "Fruit & vegetables", "produce", ["entrance", "dairy"]),
        ("dairy", "Dairy aisle", "dairy", ["produce", "snacks"]),
        ("snacks", "Snacks aisle", "snacks", ["dairy", "drinks"]),
        ("drinks", "Drinks aisle", "drinks", ["snacks", "checkout"]),
        ("checkout", "Checkout", "checkout", ["drinks", "entrance"]),
    ];

    public static async Task SeedAsync(WebApplication app)
    {
        var options = app.Services.GetRequiredService<IOptions<BeaconEngineOptions>>().Value;
        var file = Path.Combine(options.DataPath, FileName);
        if (File.Exists(file))
        {
            Console.WriteLine($"Demo already seeded; its keys (from {file}):");
            Console.WriteLine(await File.ReadAllTextAsync(file));
            PrintJoinLink(LocalBaseUrl(app.Urls.First()));
            return;
        }

        var baseUrl = LocalBaseUrl(app.Urls.First());
        using var http = new HttpClient { BaseAddress = new Uri(baseUrl) };
        var admin = app.Services.GetRequiredService<AdminKeyProvider>().LocalKey;

        await SendAsync(http, HttpMethod.Put, $"/api/v1/stores/{StoreId}", admin, new
        {
            name = StoreName,
            timeZone = "Europe/Warsaw",
            zones = Zones.Select(z => new { id = z.Id, name = z.Name, kind = "aisle", category = z.Category, neighbors = z.Neighbors }),

            // The quick start walks one shopper through: a global control group could leave them without a coupon.
            globalControlShare = 0,
        });

        var gateways = new JsonObject();
        foreach (var zone in Zones)
        {
            var gateway = await SendAsync(http, HttpMethod.Post, $"/api/v1/stores/{StoreId}/gateways", admin,
                new { gatewayId = $"gw-{zone.Id}", zoneId = zone.Id });
            gateways[$"gw-{zone.Id}"] = gateway["key"]!.GetValue<string>();
        }

        var tillKey = (await SendAsync(http, HttpMethod.Post, $"/api/v1/stores/{StoreId}/tills", admin, new { tillId = "till-1" }))["key"]!.GetValue<string>();

        var dairyKey = (await SendAsync(http, HttpMethod.Post, "/api/v1/brands", admin, new { brandId = "meadow-dairy", name = "Meadow Dairy" }))["key"]!.GetValue<string>();
        var snackKey = (await SendAsync(http, HttpMethod.Post, "/api/v1/brands", admin, new { brandId = "crunch-co", name = "Crunch & Co" }))["key"]!.GetValue<string>();

        await SendAsync(http, HttpMethod.Post, "/api/v1/offers", dairyKey, new
        {
            storeId = StoreId,
            zoneIds = DairyZones,
            title = "20% off Greek yoghurt",
            description = "Any Meadow Dairy Greek yoghurt, 400 g or 1 kg.",
            discount = new { kind = "percent", value = 20 },
            minDwellSeconds = 5,
            budget = new { maxCoupons = 500 },
            couponTtlMinutes = 120,
            category = "dairy",
            holdoutShare = 0, // so the walkthrough always shows a coupon
        });
        await SendAsync(http, HttpMethod.Post, "/api/v1/offers", snackKey, new
        {
            storeId = StoreId,
            zoneIds = SnackZones,
            title = "1.50 off sharing crisps",
            discount = new { kind = "amount", value = 1.5 },
            budget = new { maxCoupons = 200 },
            category = "snacks",
            holdoutShare = 0,
        });

        var shopper = await SendAsync(http, HttpMethod.Post, "/api/v1/shoppers", null, new
        {
            storeId = StoreId,
            consent = new { proximity = true, offers = true },
        });

        var demo = new JsonObject
        {
            ["baseUrl"] = baseUrl,
            ["storeId"] = StoreId,
            ["operatorKey"] = admin,
            ["gatewayKeys"] = gateways,
            ["tillKey"] = tillKey,
            ["brandKeys"] = new JsonObject { ["meadow-dairy"] = dairyKey, ["crunch-co"] = snackKey },
            ["shopper"] = shopper,
        };
        Directory.CreateDirectory(options.DataPath);
        await WriteOwnerOnlyAsync(file, demo.ToJsonString(Indented));
        Console.WriteLine($"Demo seeded; keys saved in {file}:");
        Console.WriteLine(demo.ToJsonString(Indented));
        Console.WriteLine($"Console: {baseUrl}/console/?store={StoreId} (sign in with a brand key or the operator key). API reference: {baseUrl}/docs/");
        PrintJoinLink(baseUrl);
    }

    /// <summary>The shopper's app joins the demo store from this link (what the store would print as a QR code at its entrance).</summary>
    public static string JoinLink(string baseUrl) =>
        $"{baseUrl}{EngagementHostingExtensions.AppPath}/?store={StoreId}&name={Uri.EscapeDataString(StoreName)}";

    private static void PrintJoinLink(string baseUrl) =>
        Console.WriteLine($"Shopper's app: {JoinLink(baseUrl)} (open it on a phone or at 390 px wide, choose what you allow, and join)");

    /// <summary>The file holds the operator's key, so like <c>admin.key</c> only its owner may read it (mode 600).</summary>
    private static async Task WriteOwnerOnlyAsync(string path, string text)
    {
        var create = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            create.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        await using var writer = new StreamWriter(path, new System.Text.UTF8Encoding(encoderShouldEmitUTF8Identifier: false), create);
        await writer.WriteAsync(text);
    }

    private static async Task<JsonObject> SendAsync(HttpClient http, HttpMethod method, string path, string? key, object body)
    {
        using var request = new HttpRequestMessage(method, path) { Content = JsonContent.Create(body) };
        if (key is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        }

        using var response = await http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException(
                $"Demo seeding failed at {method} {path}: {(int)response.StatusCode} {text}. Start with an empty data folder to seed the demo.");
        }

        return JsonNode.Parse(text) as JsonObject ?? [];
    }

    /// <summary>A URL this process can call itself on, for listen addresses such as http://+:5080 or http://[::]:5080.</summary>
    private static string LocalBaseUrl(string listenUrl)
    {
        var uri = new Uri(listenUrl.Replace("://+", "://localhost", StringComparison.Ordinal).Replace("://*", "://localhost", StringComparison.Ordinal));
        var host = uri.Host is "0.0.0.0" or "[::]" or "::" ? "localhost" : uri.Host;
        return $"{uri.Scheme}://{(host.Contains(':', StringComparison.Ordinal) && !host.StartsWith('[') ? $"[{host}]" : host)}:{uri.Port}";
    }
}
