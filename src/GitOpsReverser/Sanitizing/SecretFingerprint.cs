using System.Security.Cryptography;

namespace GitOpsReverser.Sanitizing;

/// <summary>
/// Keyed fingerprints of secret values: <c>hmac-sha256:</c> and the first 16 hex digits of
/// HMAC-SHA256(key, value). Without the per-installation key a fingerprint cannot be used to test guesses,
/// yet the same value always gives the same fingerprint, so a rotation shows as a change in Git.
/// </summary>
internal sealed class SecretFingerprint
{
    public const string Prefix = "hmac-sha256:";

    private readonly byte[] key;

    public SecretFingerprint(byte[] key)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(key.Length, 16, nameof(key));
        this.key = key;
    }

    /// <summary>True for text of exactly the form this class writes.</summary>
    public static bool IsFingerprint(string text) =>
        text.Length == Prefix.Length + 16
        && text.StartsWith(Prefix, StringComparison.Ordinal)
        && text.AsSpan(Prefix.Length).IndexOfAnyExcept("0123456789abcdef") < 0;

    public string Of(ReadOnlySpan<byte> value)
    {
        Span<byte> hash = stackalloc byte[32];
        HMACSHA256.HashData(key, value, hash);
        return Prefix + Convert.ToHexStringLower(hash[..8]);
    }
}
