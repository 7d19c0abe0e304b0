namespace BeaconEngine.Console.Tests;

/// <summary>The system's Chromium (Debian's package), which Playwright drives; no browser is downloaded.</summary>
public static class Chromium
{
    /// <summary>Overrides where Chromium is looked for.</summary>
    public const string PathVariable = "BEACONENGINE_CHROMIUM";

    private static readonly string[] Candidates = ["/usr/bin/chromium", "/usr/bin/chromium-browser"];

    public static string? ExecutablePath { get; } = Find();

    public static string Missing =>
        $"Chromium is not installed (looked for {string.Join(", ", Candidates)} and ${PathVariable}). "
        + "Install it with 'apt-get install chromium' (.ci/run does) to run the browser tests.";

    private static string? Find() =>
        Environment.GetEnvironmentVariable(PathVariable) is { Length: > 0 } configured
            ? (File.Exists(configured) ? configured : null)
            : Candidates.FirstOrDefault(File.Exists);
}

/// <summary>A test that runs in headless Chromium, and is skipped, saying why, only where Chromium is absent.</summary>
public sealed class BrowserFactAttribute : FactAttribute
{
    public BrowserFactAttribute()
    {
        if (Chromium.ExecutablePath is null)
        {
            Skip = Chromium.Missing;
        }
    }
}
