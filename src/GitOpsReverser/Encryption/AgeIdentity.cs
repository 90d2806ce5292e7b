using System.Security.Cryptography;
using Org.BouncyCastle.Math.EC.Rfc7748;

namespace GitOpsReverser.Encryption;

/// <summary>
/// An age X25519 identity (a private key, <c>AGE-SECRET-KEY-1…</c> as <c>age-keygen</c> writes it), read only by
/// <c>gitops-reverser restore --age-identity</c> on the user's machine: the operator never holds one.
/// </summary>
internal sealed class AgeIdentity
{
    private const string HumanReadablePart = "age-secret-key-";
    private static readonly byte[] X25519Label = "age-encryption.org/v1/X25519"u8.ToArray();
    private readonly byte[] secret;

    private AgeIdentity(byte[] secret)
    {
        this.secret = secret;
        PublicKey = new byte[X25519.PointSize];
        X25519.ScalarMultBase(secret, 0, PublicKey, 0);
    }

    public byte[] PublicKey { get; }

    /// <summary>
    /// The identities of an identity file: one per line, <c>#</c> comments and blank lines skipped, as
    /// <c>age -i</c> reads it. Throws <see cref="FormatException"/> naming the line that is not an identity.
    /// </summary>
    public static IReadOnlyList<AgeIdentity> ReadFile(string text)
    {
        var identities = new List<AgeIdentity>();
        var lineNumber = 0;
        foreach (var raw in text.Split('\n'))
        {
            lineNumber++;
            var line = raw.Trim();
            if (line.Length == 0 || line.StartsWith('#'))
            {
                continue;
            }

            if (!line.StartsWith("AGE-SECRET-KEY-1", StringComparison.OrdinalIgnoreCase))
            {
                throw new FormatException($"line {lineNumber} is not an age X25519 identity (AGE-SECRET-KEY-1…)");
            }

            if (!Bech32.TryDecode(line, HumanReadablePart, out var secret, out var error))
            {
                throw new FormatException($"line {lineNumber}: the identity {error}");
            }

            identities.Add(new AgeIdentity(secret));
        }

        return identities.Count > 0 ? identities : throw new FormatException("holds no age identity");
    }

    /// <summary>The file key an X25519 stanza (<c>-&gt; X25519 SHARE</c> and its body) wraps for this identity, or null when it is another's.</summary>
    public byte[]? Unwrap(string share, byte[] body)
    {
        byte[] sharePoint;
        try
        {
            sharePoint = Convert.FromBase64String(Padded(share));
        }
        catch (FormatException)
        {
            return null;
        }

        if (sharePoint.Length != X25519.PointSize || body.Length != 32)
        {
            return null;
        }

        var shared = new byte[X25519.PointSize];
        if (!X25519.CalculateAgreement(secret, 0, sharePoint, 0, shared, 0))
        {
            return null;
        }

        var wrapKey = HKDF.DeriveKey(HashAlgorithmName.SHA256, shared, 32, [.. sharePoint, .. PublicKey], X25519Label);
        CryptographicOperations.ZeroMemory(shared);
        using var aead = new ChaCha20Poly1305(wrapKey);
        var fileKey = new byte[16];
        try
        {
            aead.Decrypt(new byte[12], body.AsSpan(0, 16), body.AsSpan(16), fileKey);
            return fileKey;
        }
        catch (AuthenticationTagMismatchException)
        {
            return null;
        }
        finally
        {
            CryptographicOperations.ZeroMemory(wrapKey);
        }
    }

    internal static string Padded(string rawBase64) => rawBase64.PadRight(rawBase64.Length + ((4 - (rawBase64.Length % 4)) % 4), '=');
}
