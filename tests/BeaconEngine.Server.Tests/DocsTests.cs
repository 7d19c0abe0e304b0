using System.Diagnostics;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using BeaconEngine.Server.Tests.Infrastructure;
using BeaconEngine.Testing;

namespace BeaconEngine.Server.Tests;

/// <summary>
/// The docs cannot drift from the product: the README's and the quick start's shell blocks run in bash, exactly as
/// written, from the root of a clone-shaped folder, against the real server started with <c>--demo</c> on a fresh data
/// folder; each block's output must be what the page shows. The README stays a front door that links every page.
/// </summary>
public sealed partial class DocsTests
{
    private const string DocumentedBaseUrl = "http://localhost:5080";

    [Theory]
    [InlineData("README.md")]
    [InlineData("docs/quick-start.md")]
    public async Task The_pages_shell_blocks_run_as_written_and_print_what_the_page_shows(string page)
    {
        var blocks = MarkdownShellBlocks.Read(await File.ReadAllTextAsync(Path.Combine(RepositoryRoot, page)));
        Assert.True(blocks.Count(b => b.ExpectedOutput is not null) >= 3, $"{page} shows too few outputs to test");

        // The layout a reader has: the commands run at the clone's root, and `dotnet run` keeps the data in
        // src/BeaconEngine.Server/data.
        var root = Path.Combine(Path.GetTempPath(), "beaconengine-docs", Guid.NewGuid().ToString("N"));
        var data = Path.Combine(root, "src", "BeaconEngine.Server", "data");
        Directory.CreateDirectory(data);
        try
        {
            using var server = await ServerProcess.StartAsync(data, "--demo");
            var demo = await DemoKeysAsync(Path.Combine(data, "demo.json"), server);
            Assert.Equal("demo-store", demo["storeId"]!.GetValue<string>());

            var outputs = await RunAsync(root, blocks, server.BaseAddress.ToString().TrimEnd('/'));
            Assert.Equal(blocks.Count, outputs.Count);
            foreach (var (block, output) in blocks.Zip(outputs))
            {
                if (block.ExpectedOutput is { } expected)
                {
                    Assert.True(
                        MarkdownShellBlocks.Matches(expected, output),
                        $"{page}, the block at line {block.Line}, printed:\n{output}\nThe page shows:\n{expected}");
                }
            }
        }
        finally
        {
            EngineHost.TryDelete(root);
        }
    }

    [Fact]
    public async Task The_demo_keys_file_is_readable_by_its_owner_only()
    {
        if (OperatingSystem.IsWindows())
        {
            return; // no Unix modes there
        }

        var data = EngineHost.NewDataPath();
        try
        {
            using var server = await ServerProcess.StartAsync(data, "--demo");
            var file = Path.Combine(data, "demo.json");
            await DemoKeysAsync(file, server);
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file));
        }
        finally
        {
            EngineHost.TryDelete(data);
        }
    }

    [Fact]
    public void The_readme_is_a_front_door_that_links_every_page_and_every_link_resolves()
    {
        var readme = File.ReadAllLines(Path.Combine(RepositoryRoot, "README.md"));
        Assert.True(readme.Length <= 200, $"The README has {readme.Length} lines; it should fit in about 200. Move reference material to docs/.");

        var text = string.Join('\n', readme);
        foreach (var page in Directory.GetFiles(Path.Combine(RepositoryRoot, "docs"), "*.md"))
        {
            Assert.Contains($"(docs/{Path.GetFileName(page)})", text, StringComparison.Ordinal);
        }

        foreach (var page in Directory.GetFiles(Path.Combine(RepositoryRoot, "docs"), "*.md").Append(Path.Combine(RepositoryRoot, "README.md")))
        {
            foreach (Match link in RelativeLink().Matches(File.ReadAllText(page)))
            {
                var target = Path.GetFullPath(Path.Combine(Path.GetDirectoryName(page)!, link.Groups["path"].Value));
                Assert.True(
                    File.Exists(target) || Directory.Exists(target) || target.Contains($"{Path.DirectorySeparatorChar}shared{Path.DirectorySeparatorChar}", StringComparison.Ordinal),
                    $"{Path.GetFileName(page)} links to {link.Groups["path"].Value}, which does not exist");
                if (link.Groups["anchor"].Success && target.EndsWith(".md", StringComparison.Ordinal) && File.Exists(target))
                {
                    Assert.True(
                        HeadingAnchors(target).Contains(link.Groups["anchor"].Value),
                        $"{Path.GetFileName(page)} links to {link.Groups["path"].Value}#{link.Groups["anchor"].Value}, a heading that does not exist");
                }
            }
        }
    }

    private static string RepositoryRoot { get; } = FindRoot();

    /// <summary>Markdown links to files of the repository (not web addresses, not anchors within the page).</summary>
    [GeneratedRegex(@"\]\((?<path>(?!https?:|#|mailto:)[^)#\s]+)(#(?<anchor>[^)]*))?\)")]
    private static partial Regex RelativeLink();

    /// <summary>The anchors GitHub gives a page's headings: lower case, punctuation dropped, spaces as hyphens.</summary>
    private static HashSet<string> HeadingAnchors(string page)
    {
        var anchors = new HashSet<string>(StringComparer.Ordinal);
        var inCode = false;
        foreach (var line in File.ReadLines(page))
        {
            if (line.StartsWith("```", StringComparison.Ordinal))
            {
                inCode = !inCode;
            }
            else if (!inCode && line.StartsWith('#'))
            {
                var text = line.TrimStart('#').Trim().ToLowerInvariant();
                anchors.Add(new string([.. text.Where(c => char.IsLetterOrDigit(c) || c is '-' or '_' or ' ')]).Replace(' ', '-'));
            }
        }

        return anchors;
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

    /// <summary>The demo seed's keys, once the seed (which runs after the server answers) has written them whole.</summary>
    private static async Task<JsonObject> DemoKeysAsync(string file, ServerProcess server)
    {
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < TimeSpan.FromSeconds(60))
        {
            if (File.Exists(file))
            {
                try
                {
                    if (JsonNode.Parse(await File.ReadAllTextAsync(file)) is JsonObject { Count: > 0 } keys && keys["shopper"] is not null)
                    {
                        return keys;
                    }
                }
                catch (System.Text.Json.JsonException)
                {
                    // Still being written.
                }
            }

            await Task.Delay(100);
        }

        throw new TimeoutException($"The demo seed did not write {file} within a minute:\n{server.Output}");
    }

    /// <summary>
    /// Runs the blocks in order in one bash, as a reader pastes them into one terminal (variables carry over), and
    /// returns each block's output. The page's address is the server's; everything else is as written.
    /// </summary>
    private static async Task<List<string>> RunAsync(string root, IReadOnlyList<ShellBlock> blocks, string baseUrl)
    {
        Prerequisite.Executable("curl", ["/usr/bin/curl"]);
        Prerequisite.Executable("jq", ["/usr/bin/jq"]);
        const string Separator = "@@docs-test-block@@";
        var script = new StringBuilder("set -e -o pipefail\n");
        foreach (var block in blocks)
        {
            script.Append("printf '%s\\n' '").Append(Separator).Append("'\n");
            script.Append(block.Script.Replace(DocumentedBaseUrl, baseUrl, StringComparison.Ordinal)).Append('\n');
        }

        var info = new ProcessStartInfo("bash")
        {
            WorkingDirectory = root,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        using var bash = Process.Start(info)!;
        var stdout = bash.StandardOutput.ReadToEndAsync();
        var stderr = bash.StandardError.ReadToEndAsync();
        await bash.StandardInput.WriteAsync(script.ToString());
        bash.StandardInput.Close();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await bash.WaitForExitAsync(timeout.Token);
        var output = await stdout;
        Assert.True(bash.ExitCode == 0, $"The page's commands failed ({bash.ExitCode}):\n{output}\n{await stderr}");

        // A block whose output does not end in a newline leaves the next separator on its last line.
        return output.Split(Separator + "\n").Skip(1).Select(o => o.TrimEnd('\n')).ToList();
    }
}
