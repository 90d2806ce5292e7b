using System.Security.Cryptography;
using System.Text;

namespace GitOpsReverser.Git.Layout;

/// <summary>
/// Makes an object name safe as a file name on any file system, reversibly: every byte outside
/// <c>[A-Za-z0-9._-]</c> is percent-encoded (<c>system:controller:x</c> becomes
/// <c>system%3Acontroller%3Ax</c>), and so is the first letter of a name Windows reserves (<c>con</c>).
/// A name whose encoding would not fit in 255 bytes is cut and ends in <c>~</c> and a hash of the whole
/// name: the only encoding that cannot be reversed from the file name alone (the file still holds the name).
/// </summary>
internal static class FileNameEncoding
{
    public const string Extension = ".yaml";

    private const int MaxFileNameBytes = 255;
    private const int HashHexDigits = 16;

    private static readonly HashSet<string> WindowsReservedNames = new(StringComparer.OrdinalIgnoreCase)
    {
        "CON", "PRN", "AUX", "NUL",
        "COM0", "COM1", "COM2", "COM3", "COM4", "COM5", "COM6", "COM7", "COM8", "COM9",
        "LPT0", "LPT1", "LPT2", "LPT3", "LPT4", "LPT5", "LPT6", "LPT7", "LPT8", "LPT9",
    };

    /// <summary>The file name (with <see cref="Extension"/>) for an object name.</summary>
    public static string Encode(string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        var encoded = new StringBuilder(name.Length + 8);
        var escapeFirst = IsWindowsDeviceName(name);
        Span<byte> utf8 = stackalloc byte[4];
        for (var i = 0; i < name.Length; i++)
        {
            var c = name[i];
            if (!(escapeFirst && i == 0) && (char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-'))
            {
                encoded.Append(c);
                continue;
            }

            var length = char.IsSurrogatePair(name, i)
                ? Encoding.UTF8.GetBytes(name.AsSpan(i++, 2), utf8)
                : Encoding.UTF8.GetBytes(name.AsSpan(i, 1), utf8);
            foreach (var b in utf8[..length])
            {
                encoded.Append('%').Append(b.ToString("X2", System.Globalization.CultureInfo.InvariantCulture));
            }
        }

        var maxStem = MaxFileNameBytes - Extension.Length;
        if (encoded.Length > maxStem)
        {
            var keep = maxStem - 1 - HashHexDigits;

            // Never cut through a %XX escape.
            while (keep > 0 && (encoded[keep - 1] == '%' || (keep > 1 && encoded[keep - 2] == '%')))
            {
                keep--;
            }

            var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(name)))[..HashHexDigits];
            return $"{encoded.ToString(0, keep)}~{hash}{Extension}";
        }

        return encoded.Append(Extension).ToString();
    }

    /// <summary>Whether <paramref name="name"/>, up to its first dot, is a name Windows reserves for a device (<c>con</c>, <c>nul.txt</c>).</summary>
    public static bool IsWindowsDeviceName(string name) =>
        WindowsReservedNames.Contains(name.IndexOf('.', StringComparison.Ordinal) is var dot and >= 0 ? name[..dot] : name);

    /// <summary>The object name a file name stands for, or null when it is not one this encoding writes or it was shortened.</summary>
    public static string? Decode(string fileName)
    {
        if (!fileName.EndsWith(Extension, StringComparison.Ordinal) || fileName.Contains('~', StringComparison.Ordinal))
        {
            return null;
        }

        var stem = fileName[..^Extension.Length];
        try
        {
            var decoded = Uri.UnescapeDataString(stem);
            return stem.Length > 0 && Encode(decoded) == fileName ? decoded : null;
        }
        catch (UriFormatException)
        {
            return null;
        }
    }
}
