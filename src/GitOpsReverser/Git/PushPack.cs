using System.Security.Cryptography;
using System.Text;
using LibGit2Sharp;

namespace GitOpsReverser.Git;

/// <summary>
/// The pack a push sends: each commit, and the trees and blobs that differ from its parent's at the
/// same path. Such a tree or blob goes as a delta (<see cref="GitDelta"/>) against its parent's
/// version, which the server has or receives earlier in the same pack (a thin pack, as git pushes).
/// A commit costs the folders on its changed paths, never the size of the repository, and nothing
/// is searched: libgit2's pack builder re-read and re-compressed every folder of every commit and
/// tried each against unrelated ones, which made pushes the bottleneck at 100,000 objects.
/// </summary>
internal sealed class PushPack
{
    private const int CommitType = 1;
    private const int TreeType = 2;
    private const int BlobType = 3;
    private const int RefDeltaType = 7;

    // Objects smaller than this are stored, not deflated: a deflater costs more to set up than it saves.
    private const int DeflateThreshold = 256;

    private readonly RawObjectReader reader;
    private readonly HashSet<ObjectId> added = [];
    private readonly MemoryStream entries = new();

    private PushPack(RawObjectReader reader) => this.reader = reader;

    /// <summary>Objects in the pack.</summary>
    public int Count { get; private set; }

    /// <summary>Objects sent as deltas.</summary>
    public int Deltas { get; private set; }

    /// <summary>
    /// The pack for <paramref name="commits"/> (oldest first, each parent either earlier in the list or
    /// already on the server), as the bytes to send after the push's commands.
    /// </summary>
    public static (byte[] Pack, PushPack Contents) Build(RawObjectReader reader, IReadOnlyList<ObjectId> commits)
    {
        var pack = new PushPack(reader);
        var trees = new Dictionary<ObjectId, ObjectId>();
        foreach (var commit in commits)
        {
            var (_, content) = reader.Get(commit);
            var (tree, parents) = ParseCommit(content);
            trees[commit] = tree;
            pack.AddFull(commit, CommitType, content);
            ObjectId? parentTree = null;
            if (parents.Count > 0)
            {
                parentTree = trees.TryGetValue(parents[0], out var known) ? known : ParseCommit(reader.Get(parents[0]).Content).Tree;
            }

            pack.AddTree(tree, parentTree);
        }

        var output = new MemoryStream((int)pack.entries.Length + 32);
        output.Write(PackWriter.Header(pack.Count));
        pack.entries.Position = 0;
        pack.entries.CopyTo(output);
        output.Write(SHA1.HashData(output.GetBuffer().AsSpan(0, (int)output.Length)));
        return (output.ToArray(), pack);
    }

    // The tree, and under it every tree and blob whose id differs from the one at the same path in the parent's tree.
    private void AddTree(ObjectId tree, ObjectId? parent)
    {
        if (tree == parent || added.Contains(tree))
        {
            return;
        }

        var content = reader.Get(tree).Content;
        var parentContent = parent is null ? null : reader.Get(parent).Content;
        Add(tree, TreeType, content, parent, parentContent);
        var before = parentContent is null ? [] : TreeEntry.Parse(parentContent).ToDictionary(entry => entry.Name, StringComparer.Ordinal);
        foreach (var entry in TreeEntry.Parse(content))
        {
            var old = before.GetValueOrDefault(entry.Name);
            if (old.Id == entry.Id || entry.IsSubmodule)
            {
                continue;
            }

            if (entry.IsTree)
            {
                AddTree(entry.Id, old.IsTree ? old.Id : null);
            }
            else if (!added.Contains(entry.Id))
            {
                var oldBlob = old.Id is not null && !old.IsTree && !old.IsSubmodule ? old.Id : null;
                Add(entry.Id, BlobType, reader.Get(entry.Id).Content, oldBlob, oldBlob is null ? null : reader.Get(oldBlob).Content);
            }
        }
    }

    private void Add(ObjectId id, int type, byte[] content, ObjectId? baseId, byte[]? baseContent)
    {
        if (baseId is not null && baseContent is not null && GitDelta.Create(baseContent, content) is { } delta)
        {
            if (!added.Add(id))
            {
                return;
            }

            PackWriter.WriteEntryHeader(entries, RefDeltaType, delta.Length);
            entries.Write(baseId.RawId);
            WriteStored(delta);
            Count++;
            Deltas++;
            return;
        }

        AddFull(id, type, content);
    }

    private void AddFull(ObjectId id, int type, byte[] content)
    {
        if (!added.Add(id))
        {
            return;
        }

        PackWriter.WriteEntryHeader(entries, type, content.Length);
        if (content.Length < DeflateThreshold)
        {
            WriteStored(content);
        }
        else
        {
            PackWriter.WriteDeflated(entries, content);
        }

        Count++;
    }

    private void WriteStored(byte[] content)
    {
        var (buffer, length) = StoredZlib.Frame(content, []);
        entries.Write(buffer, 0, length);
        System.Buffers.ArrayPool<byte>.Shared.Return(buffer);
    }

    private static (ObjectId Tree, List<ObjectId> Parents) ParseCommit(byte[] content)
    {
        ObjectId? tree = null;
        var parents = new List<ObjectId>();
        foreach (var line in Encoding.UTF8.GetString(content).Split('\n'))
        {
            if (line.Length == 0)
            {
                break;
            }

            if (line.StartsWith("tree ", StringComparison.Ordinal))
            {
                tree = new ObjectId(line[5..]);
            }
            else if (line.StartsWith("parent ", StringComparison.Ordinal))
            {
                parents.Add(new ObjectId(line[7..]));
            }
        }

        return (tree ?? throw new InvalidDataException("a commit without a tree"), parents);
    }

    // One entry of a raw tree: "<mode> <name>\0<20-byte id>".
    private readonly record struct TreeEntry(string Name, ObjectId Id, bool IsTree, bool IsSubmodule)
    {
        public static IEnumerable<TreeEntry> Parse(byte[] tree)
        {
            var at = 0;
            while (at < tree.Length)
            {
                var space = Array.IndexOf(tree, (byte)' ', at);
                var nul = Array.IndexOf(tree, (byte)0, space);
                var mode = Encoding.ASCII.GetString(tree, at, space - at);
                var name = Encoding.UTF8.GetString(tree, space + 1, nul - space - 1);
                yield return new TreeEntry(name, new ObjectId(tree[(nul + 1)..(nul + 21)]), mode == "40000", mode == "160000");
                at = nul + 21;
            }
        }
    }
}
