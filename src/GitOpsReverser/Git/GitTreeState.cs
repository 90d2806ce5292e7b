using System.Text;
using LibGit2Sharp;

namespace GitOpsReverser.Git;

/// <summary>
/// The branch's file tree, kept in memory between commits so a commit costs the depth of the changed
/// path, not the size of the repository. Folders load lazily from the object database; a change
/// marks the folders on its path dirty; <see cref="Write"/> serializes only dirty folders, writing
/// git tree objects byte for byte (LibGit2Sharp's TreeDefinition rebuilds every entry of a folder,
/// which costs 100 ms for a folder of 10,000 files).
/// </summary>
internal sealed class GitTreeState
{
    private const string FileMode = "100644";
    private const string FolderMode = "40000";

    private readonly Repository repository;
    private readonly Folder root;

    private GitTreeState(Repository repository, Folder root)
    {
        this.repository = repository;
        this.root = root;
    }

    /// <summary>The tree of <paramref name="tree"/>, or an empty tree when null.</summary>
    public static GitTreeState For(Repository repository, Tree? tree) =>
        new(repository, tree is null ? Folder.Empty() : Folder.Unloaded(tree.Id));

    /// <summary>The blob id at <paramref name="path"/>, or null when there is no file there.</summary>
    public ObjectId? Get(string path)
    {
        var folder = root;
        var segments = path.Split('/');
        for (var i = 0; i < segments.Length - 1; i++)
        {
            if (!Entries(folder).TryGetValue(segments[i] + "/", out var entry))
            {
                return null;
            }

            folder = entry.Folder!;
        }

        return Entries(folder).TryGetValue(segments[^1], out var file) ? file.BlobId : null;
    }

    /// <summary>Puts <paramref name="blobId"/> at <paramref name="path"/>; returns false when it was already there.</summary>
    public bool Set(string path, ObjectId blobId)
    {
        var segments = path.Split('/');
        var chain = new List<Folder> { root };
        var folder = root;
        for (var i = 0; i < segments.Length - 1; i++)
        {
            var entries = Entries(folder);
            if (!entries.TryGetValue(segments[i] + "/", out var entry))
            {
                entries.Remove(segments[i]);
                entry = new Entry(segments[i], null, Folder.Empty());
                entries[segments[i] + "/"] = entry;
            }

            folder = entry.Folder!;
            chain.Add(folder);
        }

        var files = Entries(folder);
        if (files.TryGetValue(segments[^1], out var existing) && existing.BlobId == blobId)
        {
            return false;
        }

        // A file replaces a folder of the same name.
        files.Remove(segments[^1] + "/");
        files[segments[^1]] = new Entry(segments[^1], blobId, null);
        chain.ForEach(changed => changed.Id = null);
        return true;
    }

    /// <summary>Removes the file at <paramref name="path"/> and folders left empty; returns false when there was none.</summary>
    public bool Remove(string path)
    {
        var segments = path.Split('/');
        var chain = new List<(Folder Folder, string Key)>();
        var folder = root;
        for (var i = 0; i < segments.Length - 1; i++)
        {
            if (!Entries(folder).TryGetValue(segments[i] + "/", out var entry))
            {
                return false;
            }

            chain.Add((folder, segments[i] + "/"));
            folder = entry.Folder!;
        }

        if (!Entries(folder).Remove(segments[^1]))
        {
            return false;
        }

        folder.Id = null;
        for (var i = chain.Count - 1; i >= 0; i--)
        {
            var (parent, key) = chain[i];
            parent.Id = null;
            if (Entries(parent[key]).Count == 0)
            {
                Entries(parent).Remove(key);
            }
        }

        root.Id = null;
        return true;
    }

    /// <summary>Every file path under <paramref name="prefix"/> (a folder path without trailing slash; empty for all).</summary>
    public IEnumerable<string> Files(string prefix = "")
    {
        var folder = root;
        if (prefix.Length > 0)
        {
            foreach (var segment in prefix.Split('/'))
            {
                if (!Entries(folder).TryGetValue(segment + "/", out var entry))
                {
                    yield break;
                }

                folder = entry.Folder!;
            }
        }

        foreach (var path in Walk(folder, prefix.Length == 0 ? "" : prefix + "/"))
        {
            yield return path;
        }
    }

    /// <summary>Writes every dirty folder and returns the root tree's id.</summary>
    public ObjectId Write() => WriteFolder(root);

    private IEnumerable<string> Walk(Folder folder, string prefix)
    {
        foreach (var entry in Entries(folder).Values.ToList())
        {
            if (entry.Folder is null)
            {
                yield return prefix + entry.Name;
            }
            else
            {
                foreach (var path in Walk(entry.Folder, prefix + entry.Name + "/"))
                {
                    yield return path;
                }
            }
        }
    }

    private ObjectId WriteFolder(Folder folder)
    {
        if (folder.Id is { } clean)
        {
            return clean;
        }

        var entries = Entries(folder);
        var bytes = new MemoryStream(entries.Count * 64);
        foreach (var entry in entries.Values)
        {
            var id = entry.Folder is null ? entry.BlobId! : WriteFolder(entry.Folder);
            bytes.Write(entry.Folder is null ? "100644 "u8 : "40000 "u8);
            bytes.Write(entry.NameBytes);
            bytes.WriteByte(0);
            bytes.Write(id.RawId);
        }

        folder.Id = repository.ObjectDatabase.Write<Tree>(bytes.ToArray());
        return folder.Id;
    }

    private SortedDictionary<string, Entry> Entries(Folder folder)
    {
        if (folder.Entries is { } loaded)
        {
            return loaded;
        }

        // Git orders tree entries by name bytes, a folder's name compared as if it ended in '/'.
        var entries = new SortedDictionary<string, Entry>(StringComparer.Ordinal);
        foreach (var item in repository.Lookup<Tree>(folder.Id!))
        {
            if (item.TargetType == TreeEntryTargetType.Tree)
            {
                entries[item.Name + "/"] = new Entry(item.Name, null, Folder.Unloaded(item.Target.Id));
            }
            else if (item.Mode is Mode.NonExecutableFile or Mode.ExecutableFile or Mode.NonExecutableGroupWritableFile)
            {
                entries[item.Name] = new Entry(item.Name, item.Target.Id, null);
            }
            else
            {
                throw new InvalidOperationException(
                    $"'{item.Path}' is a {item.Mode} in the repository; GitOps Reverser keeps only regular files ({FileMode}) and folders ({FolderMode})");
            }
        }

        folder.Entries = entries;
        return entries;
    }

    private sealed class Folder
    {
        public ObjectId? Id { get; set; }

        public SortedDictionary<string, Entry>? Entries { get; set; }

        public Folder this[string key] => Entries![key].Folder!;

        public static Folder Empty() => new() { Entries = new SortedDictionary<string, Entry>(StringComparer.Ordinal) };

        public static Folder Unloaded(ObjectId id) => new() { Id = id };
    }

    private sealed record Entry(string Name, ObjectId? BlobId, Folder? Folder)
    {
        public byte[] NameBytes { get; } = Encoding.UTF8.GetBytes(Name);
    }
}
