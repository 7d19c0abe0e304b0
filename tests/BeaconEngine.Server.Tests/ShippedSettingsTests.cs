using BeaconEngine.Server.Tests.Infrastructure;

namespace BeaconEngine.Server.Tests;

/// <summary>
/// The program started from a directory other than its own, as a service unit or a script runs
/// <c>dotnet /opt/beaconengine/BeaconEngine.Server.dll</c>: the settings shipped beside it still apply.
/// </summary>
public sealed class ShippedSettingsTests
{
    [Fact]
    public async Task Started_from_another_directory_the_server_keeps_its_shipped_log_levels()
    {
        var root = Path.Combine(Path.GetTempPath(), "beaconengine-shipped", Guid.NewGuid().ToString("N"));
        var data = Path.Combine(root, "data");
        Directory.CreateDirectory(data);
        try
        {
            // No log level on the command line: only the shipped appsettings.json can quiet the per-request logs.
            using var server = await ServerProcess.StartAsync(root, data, []);
            using var client = new HttpClient { BaseAddress = server.BaseAddress };
            for (var i = 0; i < 5; i++)
            {
                (await client.GetAsync("/health")).EnsureSuccessStatusCode();
            }

            // The server is up, so its start-up lines are out; a request logged at Information would be too.
            await Task.Delay(500);
            Assert.DoesNotContain("Microsoft.AspNetCore.Hosting.Diagnostics", server.Output, StringComparison.Ordinal);
            Assert.Contains("Now listening on", server.Output, StringComparison.Ordinal);
            Assert.False(File.Exists(Path.Combine(root, "appsettings.json")));
        }
        finally
        {
            EngineHost.TryDelete(root);
        }
    }
}
