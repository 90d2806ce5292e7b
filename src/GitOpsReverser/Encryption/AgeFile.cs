using System.Security.Cryptography;
using System.Text;
using Org.BouncyCastle.Math.EC.Rfc7748;

namespace GitOpsReverser.Encryption;

/// <summary>
/// Writes a small age v1 file (the format of age-encryption.org/v1) for X25519 recipients, ASCII-armored
/// as <c>age -a</c> writes it: a random file key wrapped for each recipient, the header's HMAC, and the
/// payload as one final STREAM chunk. Only encryption: the operator never holds an identity.
/// BouncyCastle does the curve arithmetic; .NET does HKDF, HMAC and ChaCha20-Poly1305.
/// </summary>
internal static class AgeFile
{
    public const string ArmorBegin = "-----BEGIN AGE ENCRYPTED FILE-----";
    public const string ArmorEnd = "-----END AGE ENCRYPTED FILE-----";
    private const int ChunkSize = 64 * 1024;
    private static readonly byte[] X25519Label = "age-encryption.org/v1/X25519"u8.ToArray();

    // BouncyCastle's fixed-base tables (a few milliseconds, once): each ephemeral key then costs a quarter.
    private static readonly Lazy<bool> Precomputed = new(() =>
    {
        X25519.Precompute();
        return true;
    });

    /// <summary>Encrypts <paramref name="plaintext"/> (at most one 64 KiB chunk) to every recipient, armored.</summary>
    public static string EncryptArmored(ReadOnlySpan<byte> plaintext, IReadOnlyList<AgeRecipient> recipients)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(plaintext.Length, ChunkSize, nameof(plaintext));
        ArgumentOutOfRangeException.ThrowIfZero(recipients.Count, nameof(recipients));
        _ = Precomputed.Value;
        Span<byte> fileKey = stackalloc byte[16];
        RandomNumberGenerator.Fill(fileKey);

        var header = new StringBuilder("age-encryption.org/v1\n");
        foreach (var recipient in recipients)
        {
            header.Append(Stanza(fileKey, recipient));
        }

        header.Append("---");
        var headerBytes = Encoding.ASCII.GetBytes(header.ToString());
        var mac = HMACSHA256.HashData(HKDF.DeriveKey(HashAlgorithmName.SHA256, fileKey.ToArray(), 32, [], "header"u8.ToArray()), headerBytes);
        var binary = new List<byte>(headerBytes.Length + 64 + plaintext.Length + 32);
        binary.AddRange(headerBytes);
        binary.AddRange(Encoding.ASCII.GetBytes($" {RawBase64(mac)}\n"));

        var nonce = RandomNumberGenerator.GetBytes(16);
        var payloadKey = HKDF.DeriveKey(HashAlgorithmName.SHA256, fileKey.ToArray(), 32, nonce, "payload"u8.ToArray());
        binary.AddRange(nonce);
        binary.AddRange(Seal(payloadKey, LastChunkNonce(), plaintext));
        return Armor([.. binary]);
    }

    // "-> X25519 <ephemeral share>" and the file key wrapped with HKDF(shared secret, share ‖ recipient).
    private static string Stanza(ReadOnlySpan<byte> fileKey, AgeRecipient recipient)
    {
        Span<byte> ephemeral = stackalloc byte[X25519.ScalarSize];
        Span<byte> share = stackalloc byte[X25519.PointSize];
        Span<byte> shared = stackalloc byte[X25519.PointSize];
        RandomNumberGenerator.Fill(ephemeral);
        X25519.ScalarMultBase(ephemeral, share);
        if (!X25519.CalculateAgreement(ephemeral, recipient.PublicKey, shared))
        {
            throw new CryptographicException($"age recipient {recipient} is a low-order point");
        }

        var wrapKey = HKDF.DeriveKey(HashAlgorithmName.SHA256, shared.ToArray(), 32, [.. share, .. recipient.PublicKey], X25519Label);
        ephemeral.Clear();
        shared.Clear();
        var body = Seal(wrapKey, new byte[12], fileKey);
        return $"-> X25519 {RawBase64(share)}\n{RawBase64(body)}\n";
    }

    private static byte[] Seal(byte[] key, byte[] nonce, ReadOnlySpan<byte> plaintext)
    {
        using var aead = new ChaCha20Poly1305(key);
        var sealedBytes = new byte[plaintext.Length + 16];
        aead.Encrypt(nonce, plaintext, sealedBytes.AsSpan(0, plaintext.Length), sealedBytes.AsSpan(plaintext.Length));
        CryptographicOperations.ZeroMemory(key);
        return sealedBytes;
    }

    // STREAM nonce: an 11-byte big-endian chunk counter (0) and the last-chunk flag.
    private static byte[] LastChunkNonce()
    {
        var nonce = new byte[12];
        nonce[11] = 1;
        return nonce;
    }

    private static string RawBase64(ReadOnlySpan<byte> bytes) => Convert.ToBase64String(bytes).TrimEnd('=');

    // The armor: padded base64 in lines of 64 columns between the BEGIN and END lines.
    private static string Armor(byte[] binary)
    {
        var base64 = Convert.ToBase64String(binary);
        var armored = new StringBuilder(ArmorBegin).Append('\n');
        for (var offset = 0; offset < base64.Length; offset += 64)
        {
            armored.Append(base64.AsSpan(offset, Math.Min(64, base64.Length - offset))).Append('\n');
        }

        return armored.Append(ArmorEnd).Append('\n').ToString();
    }
}
