using System.Diagnostics;
using BeaconEngine.Testing;

namespace BeaconEngine.Proximity.Tests.Rotation;

/// <summary>
/// The JavaScript module apps use (src/beaconengine-rotation) gives the same identities as the server for the
/// documented vectors: its own Node test, run here so <c>dotnet test</c> covers it.
/// </summary>
public sealed class RotationModuleTests
{
    [Fact]
    public async Task The_javascript_module_derives_the_documented_vectors()
    {
        var node = Prerequisite.Executable("nodejs", ["/usr/bin/node", "/usr/local/bin/node"], "BEACONENGINE_NODE");
        var module = Path.Combine(RepositoryRoot(), "src", "beaconengine-rotation");
        using var process = Process.Start(new ProcessStartInfo(node, ["--test", "test/"])
        {
            WorkingDirectory = module,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        })!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();

        Assert.True(process.ExitCode == 0, $"node --test failed ({process.ExitCode}):\n{await output}\n{await errors}");
        Assert.Contains("# pass 8", await output, StringComparison.Ordinal);
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "BeaconEngine.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"BeaconEngine.sln not found above {AppContext.BaseDirectory}.");
    }
}
