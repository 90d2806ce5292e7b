using System.Text;

namespace GitOpsReverser.Manifests;

/// <summary>
/// Reuses the strings of short JSON keys and values that every object of a kind repeats ("metadata",
/// "f:spec", "TCP", "ClusterFirst"), so reading a watch event allocates little beyond what is new in it.
/// A fixed-size, lock-free table: a slot holds the last string that hashed to it, and a miss just replaces it.
/// </summary>
internal static class Utf8StringCache
{
    public const int MaxLength = 48;

    private const int Slots = 8192;

    private static readonly string?[] Entries = new string?[Slots];

    public static string Get(ReadOnlySpan<byte> utf8)
    {
        if (utf8.Length > MaxLength)
        {
            return Encoding.UTF8.GetString(utf8);
        }

        var slot = (int)(Fnv1a(utf8) % Slots);
        var cached = Volatile.Read(ref Entries[slot]);
        if (cached is not null && EqualsAscii(cached, utf8))
        {
            return cached;
        }

        var text = Encoding.UTF8.GetString(utf8);
        Volatile.Write(ref Entries[slot], text);
        return text;
    }

    private static uint Fnv1a(ReadOnlySpan<byte> utf8)
    {
        var hash = 2166136261u;
        foreach (var b in utf8)
        {
            hash = (hash ^ b) * 16777619u;
        }

        return hash;
    }

    // Only ASCII matches byte for byte: a non-ASCII byte is never a hit, or "é" (C3 A9) would match "Ã©".
    private static bool EqualsAscii(string text, ReadOnlySpan<byte> utf8)
    {
        if (text.Length != utf8.Length)
        {
            return false;
        }

        for (var i = 0; i < utf8.Length; i++)
        {
            if (utf8[i] >= 0x80 || text[i] != utf8[i])
            {
                return false;
            }
        }

        return true;
    }
}
