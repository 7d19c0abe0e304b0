using BeaconEngine.Server.Hosting;
using Microsoft.Extensions.Options;

namespace BeaconEngine.Server.Security;

/// <summary>
/// The operator's key: from configuration (<c>BeaconEngine:AdminKey</c>) or, where none is configured,
/// made on first start, kept in the data folder and printed once.
/// </summary>
public sealed class AdminKeyProvider
{
    public const string FileName = "admin.key";

    public AdminKeyProvider(IOptions<BeaconEngineOptions> options, ILogger<AdminKeyProvider> logger)
    {
        var configured = options.Value.AdminKey;
        if (!string.IsNullOrWhiteSpace(configured))
        {
            LocalKey = configured.Trim();
            HashBytes = AccessKeys.HashBytes(LocalKey);
            Source = "configuration";
            return;
        }

        var path = Path.Combine(options.Value.DataPath, FileName);
        if (File.Exists(path))
        {
            LocalKey = File.ReadAllText(path).Trim();
            if (LocalKey.Length < 16)
            {
                throw new InvalidOperationException(
                    $"The admin key file {path} is empty or too short. Delete it to have a new key made, or set BeaconEngine:AdminKey.");
            }

            HashBytes = AccessKeys.HashBytes(LocalKey);
            Source = path;
            return;
        }

        Directory.CreateDirectory(options.Value.DataPath);
        var key = AccessKeys.New("adm");

        // Written to a private temporary file first and renamed, so no one else can read it and a crash
        // never leaves a half-written key behind.
        var temporary = path + ".tmp";
        var create = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            create.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        using (var stream = new FileStream(temporary, create))
        using (var writer = new StreamWriter(stream))
        {
            writer.Write(key);
        }

        File.Move(temporary, path, overwrite: false);

        LocalKey = key;
        HashBytes = AccessKeys.HashBytes(key);
        Source = path;
        CreatedKey = key;
        logger.LogWarning("No BeaconEngine:AdminKey configured; created an operator key and saved it in {Path}", path);
        Console.WriteLine($"Operator (admin) key, shown once: {key}");
    }

    internal byte[] HashBytes { get; }

    /// <summary>Where the key came from: "configuration" or the file's path.</summary>
    public string Source { get; }

    /// <summary>The key itself, for in-process tools such as the demo seeder; never logged.</summary>
    internal string LocalKey { get; }

    /// <summary>The key, only when this start created it.</summary>
    public string? CreatedKey { get; }

    public bool Matches(string presented) => AccessKeys.FixedTimeEquals(presented, HashBytes);
}
