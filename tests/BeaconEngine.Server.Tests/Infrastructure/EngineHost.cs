using System.Net;
using System.Net.Sockets;
using BeaconEngine.Server.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;

namespace BeaconEngine.Server.Tests.Infrastructure;

/// <summary>
/// The real server (the same <see cref="BeaconEngineApp.Build"/> as Program.cs) on real Kestrel, bound to a
/// free loopback port, with its own data folder. Restart it on the same folder to test durability.
/// </summary>
public sealed class EngineHost : IAsyncDisposable
{
    public const string AdminKey = "test-admin-key";

    private WebApplication? _app;

    private EngineHost(string dataPath, bool ownsData)
    {
        DataPath = dataPath;
        OwnsData = ownsData;
    }

    public string DataPath { get; }

    public Uri BaseAddress { get; private set; } = null!;

    public IServiceProvider Services => _app?.Services ?? throw new InvalidOperationException("not started");

    private bool OwnsData { get; }

    public static async Task<EngineHost> StartAsync(string? dataPath = null, params string[] extraArgs)
    {
        var host = new EngineHost(dataPath ?? NewDataPath(), dataPath is null);
        await host.StartAppAsync(extraArgs, null);
        return host;
    }

    /// <summary>Starts with <paramref name="configureServices"/> applied last, e.g. to replace the clock.</summary>
    public static async Task<EngineHost> StartAsync(string? dataPath, Action<IServiceCollection> configureServices, params string[] extraArgs)
    {
        var host = new EngineHost(dataPath ?? NewDataPath(), dataPath is null);
        await host.StartAppAsync(extraArgs, configureServices);
        return host;
    }

    /// <summary>A server already running elsewhere (another process) at <paramref name="baseAddress"/>.</summary>
    public static EngineHost Attach(Uri baseAddress, string dataPath) => new(dataPath, ownsData: false) { BaseAddress = baseAddress };

    public static string NewDataPath() => Path.Combine(Path.GetTempPath(), "beaconengine-tests", Guid.NewGuid().ToString("N"));

    public HttpClient CreateClient(string? key = null)
    {
        var client = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
        if (key is not null)
        {
            client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", key);
        }

        return client;
    }

    /// <summary>Stops the server cleanly (the data folder stays).</summary>
    public async Task StopAsync()
    {
        if (_app is { } app)
        {
            _app = null;
            await app.StopAsync();
            await app.DisposeAsync();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        if (OwnsData)
        {
            TryDelete(DataPath);
        }
    }

    public static void TryDelete(string path)
    {
        try
        {
            Directory.Delete(path, recursive: true);
        }
        catch (IOException)
        {
            // Best effort: a temp folder left behind is harmless.
        }
    }

    private async Task StartAppAsync(string[] extraArgs, Action<IServiceCollection>? configureServices)
    {
        string[] args =
        [
            "--urls", "http://127.0.0.1:0",
            "--BeaconEngine:DataPath", DataPath,
            "--BeaconEngine:AdminKey", AdminKey,
            // No global control group unless a test asks for one, so a test knows who gets a coupon.
            "--BeaconEngine:Engine:GlobalControlShare", "0",
            "--BeaconEngine:SiloPort", FreeTcpPort().ToString(System.Globalization.CultureInfo.InvariantCulture),
            "--Logging:LogLevel:Default", "Warning",
            "--Logging:LogLevel:Orleans", "Error",
            .. extraArgs,
        ];
        var app = BeaconEngineApp.Build(args, configureServices);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        BaseAddress = new Uri(address);
        _app = app;
    }

    /// <summary>See <see cref="TestPorts.Next"/>.</summary>
    public static int FreeTcpPort() => TestPorts.Next();
}
