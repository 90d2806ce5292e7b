using System.Text;
using LibGit2Sharp;

namespace GitOpsReverser.Git.Clone;

/// <summary>The tree's model: a folder as loaded and as last written, and its entries.</summary>
internal sealed partial class GitTreeState
{
    private sealed class Folder
    {
        public ObjectId? Id { get; set; }

        public SortedDictionary<string, Entry>? Entries { get; set; }

        /// <summary>The serialized tree as last written, with the offset of each entry's id.</summary>
        public byte[]? Bytes { get; set; }

        public Dictionary<string, int>? Offsets { get; set; }

        /// <summary>Entries added or removed since the last write: the bytes must be rebuilt.</summary>
        public bool Restructured { get; set; } = true;

        /// <summary>Keys of entries whose id changed since the last write.</summary>
        public HashSet<string> Patched { get; } = new(StringComparer.Ordinal);

        public Folder Child(string key) => Entries![key].Folder!;

        public static Folder Empty() => new() { Entries = new SortedDictionary<string, Entry>(StringComparer.Ordinal) };

        public static Folder Unloaded(ObjectId id) => new() { Id = id };
    }

    private sealed record Entry(string Name, ObjectId? BlobId, Folder? Folder)
    {
        public byte[] NameBytes { get; } = Encoding.UTF8.GetBytes(Name);

        public bool Executable { get; init; }

        public ReadOnlySpan<byte> FileMode => Executable ? "100755 "u8 : "100644 "u8;
    }
}
