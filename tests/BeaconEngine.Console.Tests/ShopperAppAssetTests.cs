using System.Net;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using BeaconEngine.Server.Tests.Infrastructure;
using Microsoft.Playwright;

namespace BeaconEngine.Console.Tests;

/// <summary>
/// How the server serves the shopper's app: the SDK's own modules, the vendored SignalR bundles at the SDK's version,
/// every file the service worker keeps for offline, and the join link the demo seed prints.
/// </summary>
public sealed partial class ShopperAppAssetTests(ConsoleFixture fixture) : IClassFixture<ConsoleFixture>
{
    private static readonly string Root = FindRoot();

    [Fact]
    public async Task The_app_runs_the_sdk_modules_as_they_are_in_the_repository()
    {
        using var http = fixture.Host.CreateClient();
        foreach (var file in Directory.GetFiles(Path.Combine(Root, "src", "beaconengine-js", "src"), "*.js"))
        {
            using var response = await http.GetAsync($"/app/sdk/{Path.GetFileName(file)}");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal("text/javascript", response.Content.Headers.ContentType?.MediaType);
            Assert.Equal(await File.ReadAllTextAsync(file), await response.Content.ReadAsStringAsync());
        }
    }

    [Fact]
    public async Task The_vendored_signalr_bundles_are_the_versions_the_sdk_depends_on()
    {
        var package = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(Root, "src", "beaconengine-js", "package.json")))!["dependencies"]!;
        using var http = fixture.Host.CreateClient();
        foreach (var (name, file) in (IEnumerable<(string, string)>)[("@microsoft/signalr", "signalr.min.js"), ("@microsoft/signalr-protocol-msgpack", "signalr-protocol-msgpack.min.js")])
        {
            var bundle = await http.GetStringAsync($"/app/vendor/{file}");
            var version = BundleVersion().Match(bundle);
            Assert.True(version.Success, $"{file} names no VERSION");
            Assert.Equal(package[name]!.GetValue<string>(), version.Groups["v"].Value);
        }
    }

    [Fact]
    public async Task Every_file_the_service_worker_keeps_for_offline_is_served_and_the_manifest_names_the_app()
    {
        using var http = fixture.Host.CreateClient();
        var worker = await http.GetStringAsync("/app/sw.js");
        var shell = ShellEntry().Matches(worker).Select(m => m.Groups["path"].Value).ToList();
        Assert.Contains("/app/", shell);

        // Every SDK module the app may import must be kept, or a module added to the SDK breaks the offline start.
        foreach (var file in Directory.GetFiles(Path.Combine(Root, "src", "beaconengine-js", "src"), "*.js"))
        {
            Assert.True(shell.Contains($"/app/sdk/{Path.GetFileName(file)}"), $"sw.js does not keep /app/sdk/{Path.GetFileName(file)}: add it to SHELL");
        }

        foreach (var path in shell)
        {
            using var response = await http.GetAsync(path);
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{path} answered {(int)response.StatusCode}");
        }

        var manifest = JsonNode.Parse(await http.GetStringAsync("/app/manifest.json"))!;
        Assert.Equal("/app/", manifest["start_url"]!.GetValue<string>());
        Assert.Equal("standalone", manifest["display"]!.GetValue<string>());
        Assert.Contains(manifest["icons"]!.AsArray(), i => i!["sizes"]!.GetValue<string>() == "512x512");

        // The short address keeps its query, so a printed link without the slash still names the store.
        using var noRedirect = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = fixture.Host.BaseAddress };
        using var redirect = await noRedirect.GetAsync("/app?store=demo-store");
        Assert.Equal("/app/?store=demo-store", redirect.Headers.Location?.OriginalString);
    }

    [Fact]
    public async Task The_demo_seed_prints_the_join_link_and_it_opens_the_app_for_the_demo_store()
    {
        var data = EngineHost.NewDataPath();
        try
        {
            using var server = await ServerProcess.StartAsync(data, "--demo");
            var link = await Eventually.WaitAsync(
                () => Task.FromResult(JoinLink().Match(server.Output)), m => m.Success, TimeSpan.FromSeconds(60), "the demo seed to print the join link");
            var url = new Uri(link.Groups["url"].Value);
            Assert.Equal("/app/", url.AbsolutePath);
            Assert.Equal(server.BaseAddress.Port, url.Port);

            await using var console = await fixture.OpenAsync(ShopperAppPage.Width, ShopperAppPage.Height);
            var page = console.Page;
            await page.GotoAsync(url.ToString());
            await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Join BeaconEngine demo store" })).ToBeVisibleAsync();
            await page.Locator("#join-proximity").CheckAsync();
            await page.Locator("#join-offers").CheckAsync();
            await page.GetByRole(AriaRole.Button, new() { Name = "Join" }).ClickAsync();
            await Assertions.Expect(page.Locator("#connection")).ToHaveTextAsync("Live");
            console.AssertNoErrors();
        }
        finally
        {
            EngineHost.TryDelete(data);
        }
    }

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "BeaconEngine.sln")))
            {
                return dir.FullName;
            }
        }

        throw new DirectoryNotFoundException("BeaconEngine.sln was not found above the test's folder.");
    }

    [GeneratedRegex(@"const \w+=""(?<v>\d+\.\d+\.\d+)""")]
    private static partial Regex BundleVersion();

    [GeneratedRegex("""^\s*"(?<path>/app/[^"]*)",$""", RegexOptions.Multiline)]
    private static partial Regex ShellEntry();

    [GeneratedRegex(@"Shopper's app: (?<url>http\S+)")]
    private static partial Regex JoinLink();
}
