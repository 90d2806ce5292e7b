namespace GitOpsReverser.Git;

/// <summary>
/// The entries of a raw git tree (<c>&lt;mode&gt; &lt;name&gt;\0&lt;20-byte id&gt;</c>, sorted by name, a folder's
/// name compared as if it ended in '/'), read in place. <see cref="Changes"/> walks two versions of a
/// folder side by side from their first difference and stops where the rest is the same bytes, so a
/// commit that changed one file of a folder of 10,000 costs the scan to that file, not 10,000 entries.
/// </summary>
internal static class RawTree
{
    /// <summary>One entry: its name and id as slices of the tree's bytes.</summary>
    public readonly ref struct Entry(ReadOnlySpan<byte> mode, ReadOnlySpan<byte> name, ReadOnlySpan<byte> id)
    {
        public ReadOnlySpan<byte> Name { get; } = name;

        public ReadOnlySpan<byte> Id { get; } = id;

        public bool IsTree { get; } = mode.SequenceEqual("40000"u8);

        public bool IsSubmodule { get; } = mode.SequenceEqual("160000"u8);
    }

    /// <summary>An entry copied out of the tree's bytes.</summary>
    public readonly record struct ChangedEntry(byte[] Id, bool IsTree, bool IsSubmodule);

    /// <summary>
    /// The entries of <paramref name="tree"/> that are new or differ from <paramref name="parent"/>'s, each
    /// with the parent's entry of the same name and kind, if any (entries only in the parent are left out).
    /// </summary>
    public static List<(ChangedEntry Entry, ChangedEntry? Old)> Changes(byte[] tree, byte[] parent)
    {
        var changes = new List<(ChangedEntry, ChangedEntry?)>();
        var prefix = tree.AsSpan().CommonPrefixLength(parent);
        var suffix = CommonSuffixLength(tree, parent, Math.Min(tree.Length, parent.Length) - prefix);

        // Entries that end inside the common beginning are the same in both.
        var at = 0;
        while (at < tree.Length && End(tree, at) <= prefix)
        {
            at = End(tree, at);
        }

        var old = at;
        while (at < tree.Length)
        {
            var entry = Read(tree, at, out var next);
            if (old >= parent.Length)
            {
                changes.Add((Copy(entry), null));
                at = next;
                continue;
            }

            var before = Read(parent, old, out var oldNext);
            if (tree.AsSpan(at, next - at).SequenceEqual(parent.AsSpan(old, oldNext - old)))
            {
                at = next;
                old = oldNext;

                // Both at an entry's start with the same bytes left: the rest is the same entries.
                if (tree.Length - at == parent.Length - old && tree.Length - at <= suffix)
                {
                    break;
                }

                continue;
            }

            var order = Compare(entry, before);
            if (order <= 0)
            {
                changes.Add((Copy(entry), order == 0 ? Copy(before) : null));
                at = next;
            }

            if (order >= 0)
            {
                old = oldNext;
            }
        }

        return changes;
    }

    private static Entry Read(byte[] tree, int at, out int next)
    {
        var span = tree.AsSpan(at);
        var space = span.IndexOf((byte)' ');
        var nul = space + 1 + span[(space + 1)..].IndexOf((byte)0);
        if (space < 0 || nul <= space || nul + 21 > span.Length)
        {
            throw new InvalidDataException("a malformed tree object");
        }

        next = at + nul + 21;
        return new Entry(span[..space], span[(space + 1)..nul], span.Slice(nul + 1, 20));
    }

    private static int End(byte[] tree, int at)
    {
        Read(tree, at, out var next);
        return next;
    }

    private static ChangedEntry Copy(Entry entry) => new(entry.Id.ToArray(), entry.IsTree, entry.IsSubmodule);

    // Git's tree order: by name bytes, a folder's name as if followed by '/'.
    private static int Compare(Entry a, Entry b)
    {
        var common = a.Name.CommonPrefixLength(b.Name);
        int Next(Entry entry) => common < entry.Name.Length ? entry.Name[common] : entry.IsTree ? '/' : 0;

        // Names hold no '/' and no NUL, so equal next bytes mean equal names of the same kind.
        return Next(a).CompareTo(Next(b));
    }

    private static int CommonSuffixLength(byte[] a, byte[] b, int most)
    {
        var length = 0;
        const int Block = 64;
        while (length + Block <= most && a.AsSpan(a.Length - length - Block, Block).SequenceEqual(b.AsSpan(b.Length - length - Block, Block)))
        {
            length += Block;
        }

        while (length < most && a[a.Length - length - 1] == b[b.Length - length - 1])
        {
            length++;
        }

        return length;
    }
}
