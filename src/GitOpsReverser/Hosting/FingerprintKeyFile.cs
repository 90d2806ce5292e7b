using System.Security.Cryptography;

namespace GitOpsReverser.Hosting;

/// <summary>
/// The per-installation Secret fingerprint key, kept in the data directory (<c>fingerprint.key</c>,
/// mode 0600) when none is configured, so fingerprints stay the same across restarts and a restart
/// does not rewrite every Secret's file.
/// </summary>
internal static class FingerprintKeyFile
{
    public const string FileName = "fingerprint.key";

    /// <summary>The key's base64 text, created on first use.</summary>
    public static string LoadOrCreate(string dataDirectory)
    {
        var path = Path.Combine(dataDirectory, FileName);
        if (File.Exists(path))
        {
            return File.ReadAllText(path).Trim();
        }

        Directory.CreateDirectory(dataDirectory);
        var key = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
        var temporary = path + ".tmp";
        File.WriteAllText(temporary, key + "\n");
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(temporary, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }

        File.Move(temporary, path, overwrite: false);
        return key;
    }
}
