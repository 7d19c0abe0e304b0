using BeaconEngine.Server.Api;
using BeaconEngine.Server.Cluster;
using BeaconEngine.Server.Demo;
using BeaconEngine.Server.Security;
using Microsoft.Extensions.Configuration.Json;

namespace BeaconEngine.Server.Hosting;

/// <summary>Builds and runs the BeaconEngine server; Program.cs and the end-to-end tests share it.</summary>
public static class BeaconEngineApp
{
    public const string DefaultUrl = "http://localhost:5080";

    // Command-line switches, each the short form of a BeaconEngine option set to true.
    private static readonly Dictionary<string, string> Switches = new(StringComparer.OrdinalIgnoreCase)
    {
        ["--demo"] = nameof(BeaconEngineOptions.Demo),
        [BenchmarkEndpoints.BaselineSwitch] = nameof(BeaconEngineOptions.Baseline),
        [BenchmarkEndpoints.DiagnosticsSwitch] = nameof(BeaconEngineOptions.Diagnostics),
    };

    public static WebApplication Build(string[] args) => Build(args, null);

    /// <summary>
    /// The settings shipped beside the program (its appsettings.json: quiet per-request logs, the data folder's
    /// name, the silo's port) apply wherever the program is started from. ASP.NET Core reads appsettings.json from
    /// the working directory only, so <c>dotnet /opt/beaconengine/BeaconEngine.Server.dll</c> started elsewhere (a
    /// service unit, a script) ran on none of them and logged every request and every grain placement at
    /// Information. They come first, so a settings file in the working directory, the environment and the command
    /// line still override them.
    /// </summary>
    private static void AddShippedSettings(WebApplicationBuilder builder)
    {
        var shipped = Path.Combine(AppContext.BaseDirectory, "appsettings.json");
        var working = Path.Combine(builder.Environment.ContentRootPath, "appsettings.json");
        if (!File.Exists(shipped) || string.Equals(Path.GetFullPath(shipped), Path.GetFullPath(working), StringComparison.Ordinal))
        {
            return;
        }

        var source = new JsonConfigurationSource { Path = shipped, Optional = true, ReloadOnChange = false };
        source.ResolveFileProvider();
        ((IConfigurationBuilder)builder.Configuration).Sources.Insert(0, source);
    }

    /// <summary>As <see cref="Build(string[])"/>; <paramref name="configureServices"/> runs last (tests replace the clock with it).</summary>
    public static WebApplication Build(string[] args, Action<IServiceCollection>? configureServices)
    {
        var builder = WebApplication.CreateBuilder(args.Where(a => !Switches.ContainsKey(a)).ToArray());
        AddShippedSettings(builder);
        foreach (var (name, option) in Switches)
        {
            if (args.Contains(name, StringComparer.OrdinalIgnoreCase))
            {
                builder.Configuration[$"{BeaconEngineOptions.Section}:{option}"] = "true";
            }
        }

        if (string.IsNullOrEmpty(builder.Configuration["urls"]) && string.IsNullOrEmpty(builder.Configuration["http_ports"]))
        {
            builder.WebHost.UseUrls(DefaultUrl);
        }

        builder.Services.Configure<BeaconEngineOptions>(builder.Configuration.GetSection(BeaconEngineOptions.Section));
        builder.AddBeaconEngineLimits();
        builder.AddBeaconEngineOrleans();
        builder.AddBeaconEngineApi();
        builder.AddBeaconEngineGateways();
        builder.AddBeaconEngineObservability();
        configureServices?.Invoke(builder.Services);

        // Last, so every logger provider (console, OTLP, a test's) is wrapped: no key reaches a log.
        Observability.KeyRedactingLoggerProvider.WrapAll(builder.Services);

        var app = builder.Build();
        app.UseBeaconEngineLimits();
        app.MapBeaconEngineApi();
        app.MapBeaconEngineGateways();
        app.MapBeaconEngineCluster();
        app.MapBeaconEngineObservability();
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
