namespace GitOpsReverser.Encryption;

/// <summary>
/// BIP 173's Bech32 (checksum constant 1, not Bech32m), as age writes its keys: <c>age1…</c> recipients and
/// <c>AGE-SECRET-KEY-1…</c> identities, each 32 bytes.
/// </summary>
internal static class Bech32
{
    private const string Charset = "qpzry9x8gf2tvdw0s3jn54khce6mua7l";

    /// <summary>The bytes of <paramref name="text"/> (any case, not mixed) under <paramref name="humanReadablePart"/>, or what is wrong.</summary>
    public static bool TryDecode(string text, string humanReadablePart, out byte[] data, out string error)
    {
        data = [];
        if (text != text.ToLowerInvariant() && text != text.ToUpperInvariant())
        {
            error = "mixes upper and lower case, which Bech32 forbids";
            return false;
        }

        text = text.ToLowerInvariant();
        var separator = text.LastIndexOf('1');
        if (!text.StartsWith(humanReadablePart + "1", StringComparison.Ordinal) || separator != humanReadablePart.Length)
        {
            error = $"does not start with {humanReadablePart}1";
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

        if (values.Length < 6 || PolyMod([.. Expand(humanReadablePart), .. values]) != 1)
        {
            error = "has a wrong checksum (a typo, or a truncated key)";
            return false;
        }

        if (ConvertBits(values.AsSpan(0, values.Length - 6)) is not { Length: 32 } key)
        {
            error = "does not hold a 32-byte X25519 key";
            return false;
        }

        data = key;
        error = "";
        return true;
    }

    private static IEnumerable<byte> Expand(string hrp) =>
        hrp.Select(c => (byte)(c >> 5)).Append((byte)0).Concat(hrp.Select(c => (byte)(c & 31)));

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
