using System.Security.Cryptography;
using System.Text;
using BeaconEngine.Server.Hosting;
using Microsoft.Extensions.Options;

namespace BeaconEngine.Server.Security;

/// <summary>
/// Seals shoppers' rotation secrets (AES-256-GCM) with a key kept outside the database: from configuration
/// (<c>BeaconEngine:RotationKey</c>) or a <c>rotation.key</c> file made on first start in the data folder. A copy
/// of the database alone yields no secret. The store and shopper ids are the associated data, so a sealed secret
/// copied onto another shopper's row does not open.
/// </summary>
public sealed class RotationSecretSealer
{
    public const string FileName = "rotation.key";
    private const int KeyBytes = 32;
    private const int NonceBytes = 12;
    private const int TagBytes = 16;

    private readonly byte[] _key;

    public RotationSecretSealer(IOptions<BeaconEngineOptions> options)
    {
        var configured = options.Value.RotationKey;
        if (!string.IsNullOrWhiteSpace(configured))
        {
            _key = ReadKey(configured.Trim(), "BeaconEngine:RotationKey");
            return;
        }

        var path = Path.Combine(options.Value.DataPath, FileName);
        if (!File.Exists(path))
        {
            Directory.CreateDirectory(options.Value.DataPath);
            var temporary = path + ".tmp";
            var create = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
            if (!OperatingSystem.IsWindows())
            {
                create.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
            }

            using (var writer = new StreamWriter(new FileStream(temporary, create)))
            {
                writer.Write(Convert.ToBase64String(RandomNumberGenerator.GetBytes(KeyBytes)));
            }

            // Another process may have made it meanwhile; theirs wins and everyone reads it below.
            try
            {
                File.Move(temporary, path, overwrite: false);
            }
            catch (IOException) when (File.Exists(path))
            {
                File.Delete(temporary);
            }
        }

        _key = ReadKey(File.ReadAllText(path).Trim(), path);
    }

    public byte[] Seal(string storeId, string shopperId, ReadOnlySpan<byte> secret)
    {
        var sealedSecret = new byte[NonceBytes + TagBytes + secret.Length];
        var nonce = sealedSecret.AsSpan(0, NonceBytes);
        RandomNumberGenerator.Fill(nonce);
        using var aes = new AesGcm(_key, TagBytes);
        aes.Encrypt(nonce, secret, sealedSecret.AsSpan(NonceBytes + TagBytes), sealedSecret.AsSpan(NonceBytes, TagBytes), Associated(storeId, shopperId));
        return sealedSecret;
    }

    /// <summary>The secret, or null when it was sealed with another key or for another shopper.</summary>
    public byte[]? Open(string storeId, string shopperId, byte[] sealedSecret)
    {
        if (sealedSecret.Length <= NonceBytes + TagBytes)
        {
            return null;
        }

        var secret = new byte[sealedSecret.Length - NonceBytes - TagBytes];
        try
        {
            using var aes = new AesGcm(_key, TagBytes);
            aes.Decrypt(sealedSecret.AsSpan(0, NonceBytes), sealedSecret.AsSpan(NonceBytes + TagBytes), sealedSecret.AsSpan(NonceBytes, TagBytes), secret, Associated(storeId, shopperId));
            return secret;
        }
        catch (AuthenticationTagMismatchException)
        {
            return null;
        }
    }

    private static byte[] Associated(string storeId, string shopperId) => Encoding.UTF8.GetBytes($"{storeId}\n{shopperId}");

    private static byte[] ReadKey(string text, string source)
    {
        var key = new byte[KeyBytes];
        return Convert.TryFromBase64String(text, key, out var written) && written == KeyBytes
            ? key
            : throw new InvalidOperationException($"The rotation key from {source} must be {KeyBytes} bytes in base64 (e.g. `openssl rand -base64 32`).");
    }
}
