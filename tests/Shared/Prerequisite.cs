namespace BeaconEngine.Testing;

/// <summary>
/// A program a test starts or drives itself (redis-server, mosquitto, Chromium, ...). Every suite finds them the same
/// way and, when one is missing, fails the same way: with a message that names the command that installs it. A
/// missing tool is never a skip, so a green run always means every test ran.
/// </summary>
public static class Prerequisite
{
    /// <summary>The README's test command; it installs tests/debian-packages.txt before any test runs.</summary>
    public const string TestCommand = "dotnet test BeaconEngine.sln";

    /// <summary>
    /// The first of <paramref name="candidates"/> that exists, or the file named by the environment variable
    /// <paramref name="overrideVariable"/> when it is set; otherwise an exception that says how to install it.
    /// </summary>
    public static string Executable(string debianPackage, IReadOnlyList<string> candidates, string? overrideVariable = null)
    {
        if (overrideVariable is not null && Environment.GetEnvironmentVariable(overrideVariable) is { Length: > 0 } configured)
        {
            return File.Exists(configured)
                ? configured
                : throw new InvalidOperationException(
                    $"${overrideVariable} names {configured}, which does not exist. Unset it, or point it at an installed {debianPackage}.");
        }

        return candidates.FirstOrDefault(File.Exists) ?? throw Missing(debianPackage, candidates);
    }

    /// <summary>The failure for a tool that is not installed.</summary>
    public static InvalidOperationException Missing(string debianPackage, IReadOnlyList<string> lookedFor) =>
        new($"{debianPackage} is not installed (looked for {string.Join(", ", lookedFor)}). "
            + $"'{TestCommand}' installs it on Debian (tests/install-debian-packages.sh, unless BEACONENGINE_SKIP_PACKAGE_INSTALL=1); "
            + $"or run: sudo apt-get install {debianPackage}");
}
