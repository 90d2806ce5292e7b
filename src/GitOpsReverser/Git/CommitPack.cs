using System.IO.Hashing;
using System.Security.Cryptography;
using System.Text;
using LibGit2Sharp;

namespace GitOpsReverser.Git;

/// <summary>
/// A pack of what commits added: each commit, and the trees and blobs that differ from its parent's at
/// the same path, each as a delta (<see cref="GitDelta"/>) against its parent's version. A commit costs
/// the folders on its changed paths, never the size of the repository, and nothing is searched.
/// <list type="bullet">
/// <item>For a push (<see cref="ForPush"/>) a delta's base may be on the server (a thin pack, as git
/// pushes). libgit2's pack builder re-read and re-compressed every folder of every commit and tried
/// each against unrelated ones, which made pushes the bottleneck at 100,000 objects.</item>
/// <item>For the clone's own packs (<see cref="ForClone"/>, <see cref="ForRepack"/>) a delta's base
/// must be in the same pack: the first version of a folder in a pack is whole.</item>
/// </list>
/// Delta chains are cut at <see cref="MaximumDepth"/>, as git does, so reading a version never
/// replays more than that many deltas.
/// </summary>
internal sealed class CommitPack
{
    /// <summary>The longest chain of deltas an object may sit at the end of.</summary>
    public const int MaximumDepth = 50;

    private const int CommitType = 1;
    private const int TreeType = 2;
    private const int BlobType = 3;
    private const int RefDeltaType = 7;

    // Objects smaller than this are stored, not deflated: a deflater costs more to set up than it saves.
    private const int DeflateThreshold = 256;

    private readonly RawObjectReader reader;
    private readonly IReadOnlySet<ObjectId>? only;
    private readonly bool thin;
    private readonly Dictionary<ObjectId, int> depths = [];
    private readonly Dictionary<ObjectId, ObjectId> treesOfCommits = [];
    private Dictionary<ObjectId, byte[]> folders = [];
    private Dictionary<ObjectId, byte[]> previousFolders = [];
    private readonly MemoryStream entries = new();
    private readonly List<(byte[] Id, long Offset, uint Crc)> index = [];

    private CommitPack(RawObjectReader reader, IReadOnlySet<ObjectId>? only, bool thin)
    {
        this.reader = reader;
        this.only = only;
        this.thin = thin;
    }

    /// <summary>A pack to push: every object the commits added, deltas against anything the server has.</summary>
    public static CommitPack ForPush(RawObjectReader reader) => new(reader, null, thin: true);

    /// <summary>A pack for the clone itself: only objects in <paramref name="loose"/>, deltas only within the pack.</summary>
    public static CommitPack ForClone(RawObjectReader reader, IReadOnlySet<ObjectId> loose) => new(reader, loose, thin: false);

    /// <summary>One pack of everything, for the clone: given every commit from its roots on, it holds every object they reach.</summary>
    public static CommitPack ForRepack(RawObjectReader reader) => new(reader, null, thin: false);

    /// <summary>Objects in the pack.</summary>
    public int Count => index.Count;

    /// <summary>Objects stored as deltas.</summary>
    public int Deltas { get; private set; }

    /// <summary>Each object's id, its entry's offset in the pack and the entry's CRC-32, for the pack's index.</summary>
    public IReadOnlyList<(byte[] Id, long Offset, uint Crc)> Index => index;

    /// <summary>Adds <paramref name="commits"/> (oldest first, each parent earlier in the list or outside the pack).</summary>
    public void AddCommits(IEnumerable<ObjectId> commits)
    {
        foreach (var commit in commits)
        {
            var (_, content) = reader.Get(commit);
            var (tree, parents) = ParseCommit(content);
            treesOfCommits[commit] = tree;
            AddWhole(commit, CommitType, content);
            ObjectId? parentTree = null;
            if (parents.Count > 0)
            {
                parentTree = treesOfCommits.TryGetValue(parents[0], out var known) ? known : ParseCommit(reader.Get(parents[0]).Content).Tree;
            }

            AddTree(tree, parentTree);
            (previousFolders, folders) = (folders, previousFolders);
            folders.Clear();
        }
    }

    /// <summary>Adds <paramref name="id"/> whole, unless it is in the pack already.</summary>
    public void AddObject(ObjectId id)
    {
        if (!depths.ContainsKey(id) && Wanted(id))
        {
            var (type, content) = reader.Get(id);
            AddWhole(id, type, content);
        }
    }

    /// <summary>The pack: its header, the entries and the SHA-1 of both.</summary>
    public byte[] ToArray()
    {
        var output = new MemoryStream((int)entries.Length + 32);
        WriteTo(output);
        return output.ToArray();
    }

    /// <summary>Writes the pack (see <see cref="ToArray"/>) to <paramref name="output"/>.</summary>
    public void WriteTo(Stream output)
    {
        using var sha1 = IncrementalHash.CreateHash(HashAlgorithmName.SHA1);
        var header = PackWriter.Header(Count);
        var body = entries.GetBuffer().AsSpan(0, (int)entries.Length);
        sha1.AppendData(header);
        sha1.AppendData(body);
        output.Write(header);
        output.Write(body);
        output.Write(sha1.GetHashAndReset());
    }

    /// <summary>The first parent of <paramref name="commit"/>, or null for a root commit.</summary>
    public static ObjectId? FirstParent(RawObjectReader reader, ObjectId commit) =>
        ParseCommit(reader.Get(commit).Content).Parents.FirstOrDefault();

    private bool Wanted(ObjectId id) => only is null || only.Contains(id);

    // A commit's parent's version of a folder is usually the one the previous commit wrote: kept, read and parsed once.
    private byte[] Folder(ObjectId id)
    {
        if (!folders.TryGetValue(id, out var folder) && !previousFolders.TryGetValue(id, out folder))
        {
            folder = reader.Get(id).Content;
        }

        folders[id] = folder;
        return folder;
    }

    // The tree, and under it every tree and blob whose id differs from the one at the same path in the parent's tree.
    private void AddTree(ObjectId tree, ObjectId? parent)
    {
        if (tree == parent || depths.ContainsKey(tree) || !Wanted(tree))
        {
            return;
        }

        var content = Folder(tree);
        var parentContent = parent is null ? null : Folder(parent);
        Add(tree, TreeType, content, parent, parentContent);
        foreach (var (entry, old) in RawTree.Changes(content, parentContent ?? []))
        {
            if (entry.IsSubmodule)
            {
                continue;
            }

            var id = new ObjectId(entry.Id);
            var oldId = old is { IsSubmodule: false } before ? new ObjectId(before.Id) : null;
            if (entry.IsTree)
            {
                AddTree(id, oldId);
            }
            else if (!depths.ContainsKey(id) && Wanted(id))
            {
                Add(id, BlobType, reader.Get(id).Content, oldId, oldId is null ? null : reader.Get(oldId).Content);
            }
        }
    }

    private void Add(ObjectId id, int type, byte[] content, ObjectId? baseId, byte[]? baseContent)
    {
        var baseDepth = baseId is null ? -1 : depths.TryGetValue(baseId, out var inPack) ? inPack : thin ? 0 : -1;
        if (baseDepth is >= 0 and < MaximumDepth && GitDelta.Create(baseContent!, content) is { } delta)
        {
            var start = Begin(id, baseDepth + 1);
            PackWriter.WriteEntryHeader(entries, RefDeltaType, delta.Length);
            entries.Write(baseId!.RawId);
            WriteStored(delta);
            End(id, start);
            Deltas++;
            return;
        }

        AddWhole(id, type, content);
    }

    private void AddWhole(ObjectId id, int type, byte[] content)
    {
        if (depths.ContainsKey(id) || !Wanted(id))
        {
            return;
        }

        var start = Begin(id, 0);
        PackWriter.WriteEntryHeader(entries, type, content.Length);
        if (content.Length < DeflateThreshold)
        {
            WriteStored(content);
        }
        else
        {
            PackWriter.WriteDeflated(entries, content);
        }

        End(id, start);
    }

    private long Begin(ObjectId id, int depth)
    {
        depths[id] = depth;
        return entries.Length;
    }

    // Offsets count from the start of the pack, after its 12-byte header.
    private void End(ObjectId id, long start) =>
        index.Add((id.RawId, start + 12, Crc32.HashToUInt32(entries.GetBuffer().AsSpan((int)start, (int)(entries.Length - start)))));

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
}
