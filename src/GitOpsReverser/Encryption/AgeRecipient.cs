namespace GitOpsReverser.Encryption;

/// <summary>
/// An age X25519 recipient: the public key written <c>age1…</c> (Bech32, human-readable part <c>age</c>, 32
/// bytes), as <c>age-keygen</c> prints it. Only public keys are ever read: what they encrypt, the operator cannot read.
/// </summary>
internal sealed record AgeRecipient
{
    private const string Charset = "qpzry9x8gf2tvdw0s3jn54khce6mua7l";
    private const string HumanReadablePart = "age";

    private AgeRecipient(string text, byte[] publicKey)
    {
        Text = text;
        PublicKey = publicKey;
    }

    /// <summary>The recipient as written, lower case.</summary>
    public string Text { get; }

    /// <summary>The X25519 public key.</summary>
    public byte[] PublicKey { get; }

    public static AgeRecipient Parse(string text) =>
        TryParse(text, out var recipient, out var error) ? recipient : throw new FormatException(error);

    /// <summary>Reads <paramref name="text"/>; <paramref name="error"/> says what is wrong with it otherwise.</summary>
    public static bool TryParse(string text, out AgeRecipient recipient, out string error)
    {
        recipient = null!;
        text = text.Trim();
        if (text.StartsWith("AGE-SECRET-KEY-", StringComparison.OrdinalIgnoreCase))
        {
            error = "is an age identity (a private key); give its public key, the age1… line age-keygen prints as \"public key\"";
            return false;
        }

        if (text.StartsWith("ssh-", StringComparison.Ordinal))
        {
            error = "is an SSH key; only age X25519 recipients (age1…) are supported";
            return false;
        }

        if (text != text.ToLowerInvariant() && text != text.ToUpperInvariant())
        {
            error = "mixes upper and lower case, which Bech32 forbids";
            return false;
        }

        text = text.ToLowerInvariant();
        var separator = text.LastIndexOf('1');
        if (!text.StartsWith(HumanReadablePart + "1", StringComparison.Ordinal) || separator != HumanReadablePart.Length)
        {
            error = "does not start with age1";
            return false;
        }

        var values = new byte[text.Length - separator - 1];
        for (var i = 0; i < values.Length; i++)
        {
            var index = Charset.IndexOf(text[separator + 1 + i], StringComparison.Ordinal);
            if (index < 0)
            {
                error = $"has '{text[separator + 1 + i]}', which is not a Bech32 character";
                return false;
            }

            values[i] = (byte)index;
        }

        if (values.Length < 6 || PolyMod([.. Expand(HumanReadablePart), .. values]) != 1)
        {
            error = "has a wrong checksum (a typo, or a truncated key)";
            return false;
        }

        var key = ConvertBits(values.AsSpan(0, values.Length - 6));
        if (key is not { Length: 32 })
        {
            error = "does not hold a 32-byte X25519 public key";
            return false;
        }

        recipient = new AgeRecipient(text, key);
        error = "";
        return true;
    }

    public bool Equals(AgeRecipient? other) => other is not null && Text == other.Text;

    public override int GetHashCode() => Text.GetHashCode(StringComparison.Ordinal);

    public override string ToString() => Text;

    private static IEnumerable<byte> Expand(string hrp) =>
        hrp.Select(c => (byte)(c >> 5)).Append((byte)0).Concat(hrp.Select(c => (byte)(c & 31)));

    // BIP 173's checksum: age uses Bech32 (constant 1), not Bech32m.
    private static uint PolyMod(ReadOnlySpan<byte> values)
    {
        ReadOnlySpan<uint> generator = [0x3b6a57b2, 0x26508e6d, 0x1ea119fa, 0x3d4233dd, 0x2a1462b3];
        uint check = 1;
        foreach (var value in values)
        {
            var top = check >> 25;
            check = ((check & 0x1ffffff) << 5) ^ value;
            for (var i = 0; i < 5; i++)
            {
                check ^= ((top >> i) & 1) != 0 ? generator[i] : 0;
            }
        }

        return check;
    }

    // 5-bit groups to bytes; leftover bits must be zero padding of fewer than 5 bits.
    private static byte[]? ConvertBits(ReadOnlySpan<byte> groups)
    {
        var bytes = new List<byte>();
        int accumulator = 0, bits = 0;
        foreach (var group in groups)
        {
            accumulator = (accumulator << 5) | group;
            bits += 5;
            if (bits >= 8)
            {
                bits -= 8;
                bytes.Add((byte)((accumulator >> bits) & 0xff));
            }
        }

        return bits >= 5 || (accumulator & ((1 << bits) - 1)) != 0 ? null : [.. bytes];
    }
}
