using System.Diagnostics;
using System.Text;
using System.Text.RegularExpressions;
using BeaconEngine.Server.Tests.Infrastructure;
using BeaconEngine.Testing;

namespace BeaconEngine.Server.Tests;

/// <summary>
/// The JavaScript SDK (src/beaconengine-js) against this real server: <c>npm ci</c> installs its locked
/// dependencies (the official @microsoft/signalr client), then Node's test runner runs its own tests, which set
/// up a store through the API and connect as shoppers would. Among them the rotating identities' derivation
/// (src/rotation.js): the documented test vectors, and the SDK's identity against this server's for a rotating store.
/// </summary>
[Collection(SharedEngineB.Name)]
public sealed partial class JsSdkTests(EngineFixture fixture)
{
    private static readonly TimeSpan StepLimit = TimeSpan.FromMinutes(5);

    [Fact]
    public async Task The_sdks_own_tests_pass_against_the_real_server()
    {
        var package = Path.Combine(FindRoot(), "src", "beaconengine-js");
        var npm = Prerequisite.Executable("npm", ["/usr/bin/npm", "/usr/local/bin/npm"], "BEACONENGINE_NPM");
        var node = Prerequisite.Executable("nodejs", ["/usr/bin/node", "/usr/local/bin/node"], "BEACONENGINE_NODE");

        var install = await RunAsync(npm, ["ci", "--no-audit", "--no-fund"], package);
        Assert.True(install.ExitCode == 0, $"npm ci failed:\n{install.Output}");

        var run = await RunAsync(node, ["--test", "--test-reporter=tap", "test/"], package, new()
        {
            ["BEACONENGINE_URL"] = fixture.Host.BaseAddress.ToString().TrimEnd('/'),
            ["BEACONENGINE_ADMIN_KEY"] = EngineHost.AdminKey,
        });
        Assert.True(run.ExitCode == 0, $"node --test failed:\n{run.Output}");
        Assert.Matches(FailNone(), run.Output);
        var passed = int.Parse(Passed().Match(run.Output).Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
        Assert.True(passed >= 17, $"expected the SDK's 17 tests or more to pass, {passed} did:\n{run.Output}");
        Assert.Equal(6, RotationVectorPassed().Count(run.Output));
        Assert.Matches(RotatingStorePassed(), run.Output);
    }

    private static async Task<(int ExitCode, string Output)> RunAsync(string file, string[] args, string directory, Dictionary<string, string>? environment = null)
    {
        var start = new ProcessStartInfo(file)
        {
            WorkingDirectory = directory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        foreach (var (name, value) in environment ?? [])
        {
            start.Environment[name] = value;
        }

        using var process = Process.Start(start)!;
        var output = new StringBuilder();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(StepLimit);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{Path.GetFileName(file)} {string.Join(' ', args)} did not finish within {StepLimit.TotalMinutes} minutes.");
        }

        output.Append(await stdout).Append(await stderr);
        return (process.ExitCode, output.ToString());
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

    [GeneratedRegex(@"^# fail 0$", RegexOptions.Multiline)]
    private static partial Regex FailNone();

    [GeneratedRegex(@"^# pass (\d+)$", RegexOptions.Multiline)]
    private static partial Regex Passed();

    [GeneratedRegex(@"^ok \d+ - rotation vector ", RegexOptions.Multiline)]
    private static partial Regex RotationVectorPassed();

    [GeneratedRegex(@"^ok \d+ - in a rotating store the SDK derives the identity the server gives", RegexOptions.Multiline)]
    private static partial Regex RotatingStorePassed();
}
