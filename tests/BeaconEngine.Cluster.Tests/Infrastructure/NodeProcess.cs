using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Reflection;
using System.Text;
using System.Text.Json.Nodes;

namespace BeaconEngine.Cluster.Tests.Infrastructure;

/// <summary>
/// One server node as an operator runs it: <c>dotnet BeaconEngine.Server.dll</c> in its own process, in
/// cluster mode on the test's store (Redis or PostgreSQL), on free loopback ports. <see cref="Kill"/> is a SIGKILL.
/// </summary>
public sealed class NodeProcess : IAsyncDisposable
{
    public const string AdminKey = "cluster-test-admin-key";

    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private readonly string _dataPath;

    private NodeProcess(Process process, string name, Uri baseAddress, string dataPath)
    {
        _process = process;
        Name = name;
        BaseAddress = baseAddress;
        _dataPath = dataPath;
        process.OutputDataReceived += (_, e) => Append(e.Data);
        process.ErrorDataReceived += (_, e) => Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public string Name { get; }

    public Uri BaseAddress { get; }

    /// <summary>Membership tuned so a killed node is declared dead in about two seconds (production keeps Orleans' defaults).</summary>
    public static string[] FastMembership =>
    [
        "--BeaconEngine:Cluster:Membership:ProbeTimeout", "00:00:01",
        "--BeaconEngine:Cluster:Membership:NumMissedProbesLimit", "2",
        "--BeaconEngine:Cluster:Membership:TableRefreshTimeout", "00:00:02",
    ];

    /// <summary>A front-end: the API and the hub on an Orleans client; it reads the silos' gateways every 2 s (Orleans' default: every minute).</summary>
    public static string[] Frontend =>
    [
        "--BeaconEngine:Role", "frontend",
        "--BeaconEngine:Cluster:Gateways:GatewayListRefreshPeriod", "00:00:02",
    ];

    public static async Task<NodeProcess> StartAsync(string name, IReadOnlyList<string> storeArgs, string clusterId, params string[] extraArgs)
    {
        var assembly = typeof(NodeProcess).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "ServerAssembly").Value!;
        if (!File.Exists(assembly))
        {
            throw new InvalidOperationException($"The server is not built at {assembly}.");
        }

        var httpPort = FreePort.Next();
        var dataPath = Path.Combine(Path.GetTempPath(), "beaconengine-tests", $"node-{Guid.NewGuid():N}");
        Directory.CreateDirectory(dataPath);
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = dataPath,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        string[] args =
        [
            assembly,
            "--urls", $"http://127.0.0.1:{httpPort}",
            "--BeaconEngine:DataPath", dataPath,
            "--BeaconEngine:AdminKey", AdminKey,
            // No global control group unless a test asks for one, so a test knows who gets a coupon.
            "--BeaconEngine:Engine:GlobalControlShare", "0",
            "--BeaconEngine:SiloPort", FreePort.Next().ToString(CultureInfo.InvariantCulture),
            // Every silo opens a gateway, as silos behind front-ends do (a front-end ignores both ports).
            "--BeaconEngine:Cluster:GatewayPort", FreePort.Next().ToString(CultureInfo.InvariantCulture),
            .. storeArgs,
            "--BeaconEngine:Cluster:ClusterId", clusterId,
            "--BeaconEngine:Cluster:AdvertisedIPAddress", "127.0.0.1",
            "--Logging:LogLevel:Default", "Warning",
            "--Logging:LogLevel:Orleans", "Error",
            .. FastMembership,
            .. extraArgs,
        ];
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        var node = new NodeProcess(Process.Start(start)!, name, new Uri($"http://127.0.0.1:{httpPort}"), dataPath);
        await node.WaitUntilServingAsync();
        return node;
    }

    public HttpClient CreateClient(string? key = null)
    {
        var client = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
        if (key is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        }

        return client;
    }

    /// <summary>The other nodes this node delivers to, from <c>GET /api/v1/cluster</c>.</summary>
    public async Task<string[]> OtherNodesAsync()
    {
        using var admin = CreateClient(AdminKey);
        var body = await admin.GetFromJsonAsync<JsonObject>("/api/v1/cluster");
        return [.. body!["otherNodes"]!.AsArray().Select(n => n!.GetValue<string>())];
    }

    /// <summary>SIGKILL: no shutdown, no goodbye to the cluster.</summary>
    public void Kill()
    {
        _process.Kill();
        _process.WaitForExit(10_000);
    }

    public string Output()
    {
        lock (_output)
        {
            return _output.ToString();
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
        try
        {
            Directory.Delete(_dataPath, recursive: true);
        }
        catch (IOException)
        {
            // Best effort.
        }
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            if (_output.Length < 200_000)
            {
                _output.AppendLine(line);
            }
        }
    }

    private async Task WaitUntilServingAsync()
    {
        using var client = CreateClient();
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < TimeSpan.FromSeconds(60))
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"Node {Name} exited with {_process.ExitCode}:\n{Output()}");
            }

            try
            {
                using var response = await client.GetAsync("/health");
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }

            await Task.Delay(100);
        }

        throw new TimeoutException($"Node {Name} did not serve /health within 60 s:\n{Output()}");
    }
}
