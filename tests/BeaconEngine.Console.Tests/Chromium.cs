using BeaconEngine.Testing;

namespace BeaconEngine.Console.Tests;

/// <summary>The system's Chromium (Debian's package), which Playwright drives; no browser is downloaded.</summary>
public static class Chromium
{
    /// <summary>Overrides where Chromium is looked for.</summary>
    public const string PathVariable = "BEACONENGINE_CHROMIUM";

    /// <summary>Chromium's path; a missing browser fails the test with the command that installs it.</summary>
    public static string ExecutablePath =>
        Prerequisite.Executable("chromium", ["/usr/bin/chromium", "/usr/bin/chromium-browser"], PathVariable);
}
