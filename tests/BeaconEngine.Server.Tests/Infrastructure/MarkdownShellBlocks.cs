using System.Text.RegularExpressions;

namespace BeaconEngine.Server.Tests.Infrastructure;

/// <summary>A <c>```sh</c> block of a page, and the <c>```text</c> block right after it that shows its output, if any.</summary>
public sealed record ShellBlock(int Line, string Script, string? ExpectedOutput);

/// <summary>
/// Reads the shell blocks a reader would run from a Markdown page. A <c>```sh</c> block is run unless the line
/// before it is an HTML comment <c>&lt;!-- docs-test: why --&gt;</c> (starting the server, which the test does
/// itself, or a long run). A <c>```text</c> block that follows it, with only blank lines between, is the output
/// the page promises; in it <c>…</c> stands for anything that differs between runs (ids, codes, times).
/// </summary>
public static partial class MarkdownShellBlocks
{
    private const string SkipMarker = "<!-- docs-test:";

    public static IReadOnlyList<ShellBlock> Read(string markdown)
    {
        var lines = markdown.ReplaceLineEndings("\n").Split('\n');
        var blocks = new List<ShellBlock>();
        for (var i = 0; i < lines.Length; i++)
        {
            if (lines[i] != "```sh")
            {
                continue;
            }

            var skipped = i > 0 && lines[i - 1].StartsWith(SkipMarker, StringComparison.Ordinal);
            var (script, end) = Fence(lines, i);
            var next = end + 1;
            while (next < lines.Length && lines[next].Length == 0)
            {
                next++;
            }

            string? expected = null;
            if (next < lines.Length && lines[next] == "```text")
            {
                (expected, end) = Fence(lines, next);
            }

            if (!skipped)
            {
                blocks.Add(new ShellBlock(i + 1, script, expected));
            }

            i = end;
        }

        return blocks;
    }

    /// <summary>Whether <paramref name="actual"/> is the output a page shows: the same lines, with <c>…</c> matching anything.</summary>
    public static bool Matches(string expected, string actual)
    {
        var want = Lines(expected);
        var got = Lines(actual);
        return want.Count == got.Count
            && want.Zip(got).All(pair => Regex.IsMatch(pair.Second, "^" + string.Join(".*?", pair.First.Split('…').Select(Regex.Escape)) + "$"));
    }

    private static List<string> Lines(string text) =>
        text.ReplaceLineEndings("\n").Trim('\n').Split('\n').Select(l => l.TrimEnd()).ToList();

    private static (string Body, int End) Fence(string[] lines, int open)
    {
        var end = open + 1;
        while (end < lines.Length && lines[end] != "```")
        {
            end++;
        }

        return (string.Join('\n', lines[(open + 1)..Math.Min(end, lines.Length)]), end);
    }
}
