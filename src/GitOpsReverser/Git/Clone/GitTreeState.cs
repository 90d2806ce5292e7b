using LibGit2Sharp;

namespace GitOpsReverser.Git.Clone;

/// <summary>
/// The branch's file tree, kept in memory between commits so a commit costs the depth of the changed
/// path, not the size of the repository. Folders load lazily from the object database; a change
/// marks the folders on its path dirty; <see cref="Write"/> writes only dirty folders, as git tree objects
/// through the object database (LibGit2Sharp's TreeDefinition rebuilds every entry of a folder: 100 ms for
/// 10,000 files).
/// A folder whose entries only changed ids (the usual update) keeps its serialized bytes and has
/// those ids patched in place; only inserts and removals re-serialize it.
/// </summary>
internal sealed partial class GitTreeState
{
    private Repository repository;
    private readonly Folder root;

    private GitTreeState(Repository repository, Folder root)
    {
        this.repository = repository;
        this.root = root;
    }

    /// <summary>Loads folders through <paramref name="reopened"/> from now on, keeping those already loaded.</summary>
    public void Rebind(Repository reopened) => repository = reopened;

    /// <summary>The tree with id <paramref name="treeId"/>, or an empty tree when null.</summary>
    public static GitTreeState For(Repository repository, ObjectId? treeId) =>
        new(repository, treeId is null ? Folder.Empty() : Folder.Unloaded(treeId));

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
        var chain = new List<(Folder Parent, string Key)>();
        var folder = root;
        for (var i = 0; i < segments.Length - 1; i++)
        {
            var entries = Entries(folder);
            var key = segments[i] + "/";
            if (!entries.TryGetValue(key, out var entry))
            {
                // A folder replaces a file of the same name.
                entries.Remove(segments[i]);
                entry = new Entry(segments[i], null, Folder.Empty());
                entries[key] = entry;
                folder.Restructured = true;
            }

            chain.Add((folder, key));
            folder = entry.Folder!;
        }

        var files = Entries(folder);
        var name = segments[^1];
        if (files.TryGetValue(name, out var existing))
        {
            if (existing.BlobId == blobId)
            {
                return false;
            }

            files[name] = existing with { BlobId = blobId };
            folder.Patched.Add(name);
        }
        else
        {
            // A file replaces a folder of the same name.
            files.Remove(name + "/");
            files[name] = new Entry(name, blobId, null);
            folder.Restructured = true;
        }

        folder.Id = null;
        foreach (var (parent, key) in chain)
        {
            parent.Id = null;
            parent.Patched.Add(key);
        }

        return true;
    }

    /// <summary>Removes the file at <paramref name="path"/> and folders left empty; returns false when there was none.</summary>
    public bool Remove(string path)
    {
        var segments = path.Split('/');
        var chain = new List<(Folder Parent, string Key)>();
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
        folder.Restructured = true;
        for (var i = chain.Count - 1; i >= 0; i--)
        {
            var (parent, key) = chain[i];
            parent.Id = null;
            if (Entries(parent.Child(key)).Count == 0)
            {
                Entries(parent).Remove(key);
                parent.Restructured = true;
            }
            else
            {
                parent.Patched.Add(key);
            }
        }

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
                    return [];
                }

                folder = entry.Folder!;
            }
        }

        return Walk(folder, prefix.Length == 0 ? "" : prefix + "/");
    }

    /// <summary>Bytes of tree objects this instance has written (before compression).</summary>
    public long BytesWritten { get; private set; }

    /// <summary>True when the tree holds no file.</summary>
    public bool IsEmpty => Entries(root).Count == 0;

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
        if (folder.Restructured || folder.Bytes is null)
        {
            Serialize(folder, entries);
        }
        else
        {
            foreach (var key in folder.Patched)
            {
                var entry = entries[key];
                var id = entry.Folder is null ? entry.BlobId! : WriteFolder(entry.Folder);
                id.RawId.CopyTo(folder.Bytes.AsSpan(folder.Offsets![key]));
            }
        }

        folder.Patched.Clear();
        folder.Restructured = false;
        folder.Id = repository.ObjectDatabase.Write<Tree>(folder.Bytes);
        BytesWritten += folder.Bytes!.Length;
        return folder.Id;
    }

    // Git orders tree entries by name bytes, a folder's name compared as if it ended in '/': the keys.
    private void Serialize(Folder folder, SortedDictionary<string, Entry> entries)
    {
        var bytes = new MemoryStream(entries.Count * 64);
        var offsets = new Dictionary<string, int>(entries.Count, StringComparer.Ordinal);
        foreach (var (key, entry) in entries)
        {
            var id = entry.Folder is null ? entry.BlobId! : WriteFolder(entry.Folder);
            bytes.Write(entry.Folder is null ? entry.FileMode : "40000 "u8);
            bytes.Write(entry.NameBytes);
            bytes.WriteByte(0);
            offsets[key] = (int)bytes.Position;
            bytes.Write(id.RawId);
        }

        folder.Bytes = bytes.ToArray();
        folder.Offsets = offsets;
    }

    private SortedDictionary<string, Entry> Entries(Folder folder)
    {
        if (folder.Entries is { } loaded)
        {
            return loaded;
        }

        var entries = new SortedDictionary<string, Entry>(StringComparer.Ordinal);
        foreach (var item in repository.Lookup<Tree>(folder.Id!))
        {
            if (item.TargetType == TreeEntryTargetType.Tree)
            {
                entries[item.Name + "/"] = new Entry(item.Name, null, Folder.Unloaded(item.Target.Id));
            }
            else if (item.Mode is Mode.NonExecutableFile or Mode.ExecutableFile or Mode.NonExecutableGroupWritableFile)
            {
                // Files of others keep their mode when their folder is rewritten; files written here are 100644.
                entries[item.Name] = new Entry(item.Name, item.Target.Id, null) { Executable = item.Mode == Mode.ExecutableFile };
            }
            else
            {
                throw new InvalidOperationException(
                    $"'{item.Path}' is a {item.Mode} in the repository; GitOps Reverser keeps only regular files and folders");
            }
        }

        folder.Entries = entries;
        folder.Restructured = true;
        return entries;
    }
}
