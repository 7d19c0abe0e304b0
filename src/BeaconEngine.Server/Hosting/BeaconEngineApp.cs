using BeaconEngine.Server.Api;
using BeaconEngine.Server.Cluster;
using BeaconEngine.Server.Demo;
using BeaconEngine.Server.Security;

namespace BeaconEngine.Server.Hosting;

/// <summary>Builds and runs the BeaconEngine server; Program.cs and the end-to-end tests share it.</summary>
public static class BeaconEngineApp
{
    public const string DefaultUrl = "http://localhost:5080";
    private const string DemoSwitch = "--demo";

    public static WebApplication Build(string[] args) => Build(args, null);

    /// <summary>As <see cref="Build(string[])"/>; <paramref name="configureServices"/> runs last (tests replace the clock with it).</summary>
    public static WebApplication Build(string[] args, Action<IServiceCollection>? configureServices)
    {
        var demo = args.Contains(DemoSwitch, StringComparer.OrdinalIgnoreCase);
        var baseline = args.Contains(BenchmarkEndpoints.BaselineSwitch, StringComparer.OrdinalIgnoreCase);
        var builder = WebApplication.CreateBuilder(args.Where(a => !string.Equals(a, DemoSwitch, StringComparison.OrdinalIgnoreCase)
            && !string.Equals(a, BenchmarkEndpoints.BaselineSwitch, StringComparison.OrdinalIgnoreCase)).ToArray());
        if (demo)
        {
            builder.Configuration[$"{BeaconEngineOptions.Section}:{nameof(BeaconEngineOptions.Demo)}"] = "true";
        }

        if (baseline)
        {
            builder.Configuration[$"{BeaconEngineOptions.Section}:{nameof(BeaconEngineOptions.Baseline)}"] = "true";
        }

        if (string.IsNullOrEmpty(builder.Configuration["urls"]) && string.IsNullOrEmpty(builder.Configuration["http_ports"]))
        {
            builder.WebHost.UseUrls(DefaultUrl);
        }

        builder.Services.Configure<BeaconEngineOptions>(builder.Configuration.GetSection(BeaconEngineOptions.Section));
        builder.AddBeaconEngineSilo();
        builder.AddBeaconEngineApi();
        builder.AddBeaconEngineGateways();
        configureServices?.Invoke(builder.Services);

        var app = builder.Build();
        app.MapBeaconEngineApi();
        app.MapBeaconEngineGateways();
        app.MapBeaconEngineCluster();
        return app;
    }

    /// <summary>Starts the server, seeds the demo if asked, and runs until shut down.</summary>
    public static async Task RunBeaconEngineAsync(this WebApplication app)
    {
        // Resolve now so a generated admin key is printed at start, not on the first request.
        var adminKey = app.Services.GetRequiredService<AdminKeyProvider>();
        await app.StartAsync();
        Console.WriteLine($"BeaconEngine listening on {string.Join(", ", app.Urls)}; operator key from {adminKey.Source}.");
        if (app.Configuration.GetValue<bool>($"{BeaconEngineOptions.Section}:{nameof(BeaconEngineOptions.Demo)}"))
        {
            await DemoSeeder.SeedAsync(app);
        }

        await app.WaitForShutdownAsync();
    }
}
