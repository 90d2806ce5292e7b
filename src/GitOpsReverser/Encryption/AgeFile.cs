using System.Security.Cryptography;
using System.Text;
using Org.BouncyCastle.Math.EC.Rfc7748;

namespace GitOpsReverser.Encryption;

/// <summary>
/// Writes a small age v1 file (the format of age-encryption.org/v1) for X25519 recipients, ASCII-armored
/// as <c>age -a</c> writes it: a random file key wrapped for each recipient, the header's HMAC, and the
/// payload as one final STREAM chunk. The operator only encrypts (it never holds an identity); <see cref="Decrypt"/>
/// serves <c>gitops-reverser restore --age-identity</c> on the user's machine.
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

    /// <summary>
    /// The plaintext of an age v1 file (armored or binary) for the first of <paramref name="identities"/> that one of
    /// its X25519 stanzas names; throws <see cref="CryptographicException"/> when none does, or the file was altered.
    /// </summary>
    public static byte[] Decrypt(byte[] file, IReadOnlyList<AgeIdentity> identities)
    {
        try
        {
            return DecryptFile(file, identities);
        }
        catch (Exception exception) when (exception is FormatException or ArgumentException)
        {
            // A file someone else wrote is input: a broken one is refused like an altered one, never a crash.
            throw new CryptographicException($"not a well-formed age file ({exception.Message})", exception);
        }
    }

    private static byte[] DecryptFile(byte[] file, IReadOnlyList<AgeIdentity> identities)
    {
        var text = Encoding.ASCII.GetString(file).Trim();
        var binary = text.StartsWith(ArmorBegin, StringComparison.Ordinal) && text.EndsWith(ArmorEnd, StringComparison.Ordinal)
            ? Convert.FromBase64String(string.Concat(text[ArmorBegin.Length..^ArmorEnd.Length].Split('\n').Select(line => line.Trim())))
            : file;

        var position = 0;
        string Line()
        {
            var end = Array.IndexOf(binary, (byte)'\n', position);
            if (end < 0)
            {
                throw new CryptographicException("the age header ends early");
            }

            var line = Encoding.ASCII.GetString(binary, position, end - position);
            position = end + 1;
            return line;
        }

        if (Line() != "age-encryption.org/v1")
        {
            throw new CryptographicException("not an age v1 file");
        }

        byte[]? fileKey = null;
        var line = Line();
        while (line.StartsWith("-> ", StringComparison.Ordinal))
        {
            var arguments = line[3..].Split(' ');
            var body = new StringBuilder();
            string bodyLine;
            do
            {
                bodyLine = Line();
                body.Append(bodyLine);
            }
            while (bodyLine.Length == 64);

            if (fileKey is null && arguments is ["X25519", var share])
            {
                var wrapped = Convert.FromBase64String(AgeIdentity.Padded(body.ToString()));
                fileKey = identities.Select(identity => identity.Unwrap(share, wrapped)).FirstOrDefault(key => key is not null);
            }

            line = Line();
        }

        if (!line.StartsWith("--- ", StringComparison.Ordinal))
        {
            throw new CryptographicException("the age header has no MAC line");
        }

        if (fileKey is null)
        {
            throw new CryptographicException("no identity given matches any of the file's recipients");
        }

        var headerLength = position - line.Length - 1 + 3;
        var mac = HMACSHA256.HashData(HKDF.DeriveKey(HashAlgorithmName.SHA256, fileKey, 32, [], "header"u8.ToArray()), binary.AsSpan(0, headerLength));
        if (!CryptographicOperations.FixedTimeEquals(mac, Convert.FromBase64String(AgeIdentity.Padded(line[4..]))))
        {
            throw new CryptographicException("the age header's MAC does not match: the file was altered");
        }

        var nonce = binary.AsSpan(position, 16).ToArray();
        var payloadKey = HKDF.DeriveKey(HashAlgorithmName.SHA256, fileKey, 32, nonce, "payload"u8.ToArray());
        using var aead = new ChaCha20Poly1305(payloadKey);
        var plaintext = new List<byte>();
        var offset = position + 16;
        for (var counter = 0L; ; counter++)
        {
            var length = Math.Min(ChunkSize + 16, binary.Length - offset);
            if (length < 16)
            {
                throw new CryptographicException("the age payload is cut short");
            }

            var last = offset + length == binary.Length;
            var chunkNonce = new byte[12];
            System.Buffers.Binary.BinaryPrimitives.WriteInt64BigEndian(chunkNonce.AsSpan(3, 8), counter);
            chunkNonce[11] = last ? (byte)1 : (byte)0;
            var chunk = new byte[length - 16];
            try
            {
                aead.Decrypt(chunkNonce, binary.AsSpan(offset, length - 16), binary.AsSpan(offset + length - 16, 16), chunk);
            }
            catch (AuthenticationTagMismatchException)
            {
                throw new CryptographicException("the age payload does not authenticate: the file was altered or cut short");
            }

            plaintext.AddRange(chunk);
            offset += length;
            if (last)
            {
                return [.. plaintext];
            }
        }
    }
}
