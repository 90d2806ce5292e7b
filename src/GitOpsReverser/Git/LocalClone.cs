using LibGit2Sharp;

namespace GitOpsReverser.Git;

/// <summary>
/// The worker's bare clone under the data directory: its branch head, the in-memory tree of that
/// head, and commits written straight into the object database (no working tree, no index).
/// </summary>
internal sealed class LocalClone : IDisposable
{
    private readonly string branch;

    private LocalClone(Repository repository, string branch)
    {
        Repository = repository;
        this.branch = branch;
        headTreeId = Head?.Tree.Id;
        Tree = GitTreeState.For(repository, headTreeId);
    }

    // The head's tree id, kept so that comparing with it never loads (parses) a large root tree.
    private ObjectId? headTreeId;

    public Repository Repository { get; private set; }

    public string BranchRef => $"refs/heads/{branch}";

    public string RemoteRef => $"refs/remotes/{GitRemote.RemoteName}/{branch}";

    public Commit? Head => Repository.Refs[BranchRef]?.ResolveToDirectReference()?.Target as Commit;

    public Commit? RemoteHead => Repository.Refs[RemoteRef]?.ResolveToDirectReference()?.Target as Commit;

    /// <summary>The tree of <see cref="Head"/>, with the changes of the next commit applied as they come.</summary>
    public GitTreeState Tree { get; private set; }

    /// <summary>Opens the clone at <paramref name="path"/>, creating a bare repository with an <c>origin</c> remote when there is none.</summary>
    public static LocalClone Open(string path, string url, string branch)
    {
        if (!Repository.IsValid(path))
        {
            Directory.CreateDirectory(path);
            Repository.Init(path, isBare: true);
        }

        LibGit2Settings.EnsureApplied();

        // HEAD names the branch even before it exists (an unborn branch in a new clone).
        File.WriteAllText(Path.Combine(path, "HEAD"), $"ref: refs/heads/{branch}\n");
        var repository = new Repository(path);
        if (repository.Network.Remotes[GitRemote.RemoteName] is null)
        {
            repository.Network.Remotes.Add(GitRemote.RemoteName, url);
        }
        else if (repository.Network.Remotes[GitRemote.RemoteName].Url != url)
        {
            repository.Network.Remotes.Update(GitRemote.RemoteName, remote => remote.Url = url);
        }

        // libgit2 tries each new object against the 10 before it, sorted by name and size, but names
        // no tree, so a push's folder trees were tried against other folders' trees of about the same
        // size: most of a push's time, for packs 8% smaller. A 64 KiB window still pairs the versions of
        // a file (sorted next to each other) and skips the hopeless tries for large folders.
        repository.Config.Set("pack.windowMemory", WindowMemory);
        return new LocalClone(repository, branch);
    }

    /// <summary>The clone's <c>pack.windowMemory</c>: how much the delta search of a push or a packing may hold.</summary>
    public const string WindowMemory = "64k";

    /// <summary>
    /// After a fetch: a new clone starts from the remote branch, and a clone with nothing to push moves
    /// up to it (commits made elsewhere while this one was stopped), so no replay is needed later.
    /// </summary>
    public void FastForwardToRemote()
    {
        if (RemoteHead is { } remote && (Head is null || (Head.Id != remote.Id && Unpushed().Count == 0)))
        {
            MoveHead(remote);
        }
    }

    /// <summary>The commits on the branch that the remote branch does not have, oldest first.</summary>
    public IReadOnlyList<Commit> Unpushed()
    {
        if (Head is not { } head)
        {
            return [];
        }

        var filter = new CommitFilter { IncludeReachableFrom = head, SortBy = CommitSortStrategies.Topological | CommitSortStrategies.Reverse };
        if (RemoteHead is { } remote)
        {
            filter.ExcludeReachableFrom = remote;
        }

        return [.. Repository.Commits.QueryBy(filter)];
    }

    /// <summary>Commits the tree as it is now on top of the head; returns null when it equals the head's tree.</summary>
    public ObjectId? Commit(string message, Signature author, Signature committer)
    {
        var written = Tree.BytesWritten;
        var treeId = Tree.Write();
        LooseBytesSinceCompaction += Tree.BytesWritten - written;
        var head = Repository.Refs[BranchRef]?.ResolveToDirectReference()?.TargetIdentifier;
        if (treeId == headTreeId || (head is null && Tree.IsEmpty))
        {
            return null;
        }

        var bytes = LooseObjects.CommitBytes(treeId, head is null ? [] : [new ObjectId(head)], author, committer, message);
        var commitId = LooseObjects.Write(Path.Combine(Repository.Info.Path, "objects"), "commit", bytes);
        Repository.Refs.Add(BranchRef, commitId, allowOverwrite: true);
        headTreeId = treeId;
        CommitsSinceCompaction++;
        return commitId;
    }

    /// <summary>Points the branch (and the in-memory tree) at <paramref name="commit"/>.</summary>
    public void MoveHead(Commit commit)
    {
        Repository.Refs.Add(BranchRef, commit.Id, allowOverwrite: true);
        headTreeId = commit.Tree.Id;
        Tree = GitTreeState.For(Repository, headTreeId);
    }

    /// <summary>Marks the remote branch as being at the branch head (after a successful push).</summary>
    public void MarkPushed()
    {
        if (Head is { } head)
        {
            Repository.Refs.Add(RemoteRef, head.Id, allowOverwrite: true);
        }
    }

    /// <summary>Commits made since the last <see cref="Compact"/> (or since the clone was opened).</summary>
    public int CommitsSinceCompaction { get; private set; }

    /// <summary>Roughly how many bytes of loose objects (trees and blobs) were written since the last packing.</summary>
    public long LooseBytesSinceCompaction { get; private set; }

    /// <summary>After this many incremental packs, the next packing rewrites everything into one pack.</summary>
    public const int MaximumPacks = 16;

    private List<ObjectId> packedHeads = [];

    /// <summary>
    /// Packs the objects of the commits made since the last packing into a new pack and deletes the loose
    /// objects, as git gc does, so the clone stops growing by a tree object per commit. Everything
    /// written since the last packing is loose, so an incremental packing packs the loose objects and walks
    /// nothing. Every <see cref="MaximumPacks"/> packs (and the first time) every commit is walked, adding
    /// only what it changed (its commit, and the trees and blobs that differ from its parent's; a root
    /// commit's whole tree), so the cost follows the changes, never commits × files, and one pack replaces
    /// the older ones.
    /// Objects no ref reaches (left behind by conflict replays) go too.
    /// </summary>
    public void Compact()
    {
        var objects = Path.Combine(Repository.Info.Path, "objects");
        var packs = Path.Combine(objects, "pack");
        Directory.CreateDirectory(packs);
        var oldPacks = Directory.GetFiles(packs, "pack-*");
        var heads = new[] { Head, RemoteHead }.OfType<LibGit2Sharp.Commit>().DistinctBy(commit => commit.Id).ToList();
        if (heads.Count == 0)
        {
            return;
        }

        var packed = packedHeads.Where(id => Repository.Lookup<LibGit2Sharp.Commit>(id) is not null).ToList();
        var full = packed.Count == 0 || oldPacks.Count(file => file.EndsWith(".pack", StringComparison.Ordinal)) >= MaximumPacks;
        Repository.ObjectDatabase.Pack(new PackBuilderOptions(packs) { MaximumNumberOfThreads = 1 }, builder =>
        {
            if (!full)
            {
                // Everything written since the last packing is a loose object: pack those, walk nothing.
                foreach (var id in LooseObjectIds(objects))
                {
                    builder.Add(id);
                }

                return;
            }

            foreach (var commit in Repository.Commits.QueryBy(new CommitFilter { IncludeReachableFrom = heads }))
            {
                if (commit.Parents.FirstOrDefault() is not { } parent)
                {
                    builder.AddRecursively(commit);
                }
                else
                {
                    builder.Add(commit.Id);
                    AddChanged(builder, commit.Tree, parent.Tree);
                }
            }
        });
        var written = Directory.GetFiles(packs, "pack-*").Except(oldPacks).ToList();
        if (!written.Any(file => file.EndsWith(".idx", StringComparison.Ordinal)))
        {
            return;
        }

        foreach (var folder in Directory.GetDirectories(objects).Where(folder => Path.GetFileName(folder).Length == 2))
        {
            Directory.Delete(folder, recursive: true);
        }

        if (full)
        {
            foreach (var old in oldPacks)
            {
                File.Delete(old);
            }
        }

        // libgit2 keeps its list of packs and loose objects: open the repository afresh.
        packedHeads = [.. heads.Select(commit => commit.Id)];
        var path = Repository.Info.Path;
        Repository.Dispose();
        Repository = new Repository(path);
        Tree = GitTreeState.For(Repository, headTreeId);
        CommitsSinceCompaction = 0;
        LooseBytesSinceCompaction = 0;
    }

    private static IEnumerable<ObjectId> LooseObjectIds(string objects) =>
        Directory.GetDirectories(objects)
            .Where(folder => Path.GetFileName(folder) is { Length: 2 } prefix && prefix.All(char.IsAsciiHexDigitLower))
            .SelectMany(folder => Directory.GetFiles(folder)
                .Select(Path.GetFileName)
                .Where(name => name is { Length: 38 } && name.All(char.IsAsciiHexDigitLower))
                .Select(name => new ObjectId(Path.GetFileName(folder) + name)));

    // The tree and every tree and blob under it whose id differs from the parent's at the same path.
    private static void AddChanged(PackBuilder builder, LibGit2Sharp.Tree tree, LibGit2Sharp.Tree? parent)
    {
        builder.Add(tree.Id);
        var before = parent?.ToDictionary(entry => entry.Name, entry => entry.Target, StringComparer.Ordinal);
        foreach (var entry in tree)
        {
            GitObject? old = null;
            if (before?.TryGetValue(entry.Name, out old) == true && old.Id == entry.Target.Id)
            {
                continue;
            }

            if (entry.Target is LibGit2Sharp.Tree subtree)
            {
                AddChanged(builder, subtree, old as LibGit2Sharp.Tree);
            }
            else if (entry.TargetType == TreeEntryTargetType.Blob)
            {
                builder.Add(entry.Target.Id);
            }
        }
    }

    /// <summary>Writes <paramref name="content"/> as a blob (a no-op when it exists) and returns its id.</summary>
    public ObjectId WriteBlob(byte[] content)
    {
        LooseBytesSinceCompaction += content.Length;
        return Repository.ObjectDatabase.Write<Blob>(content);
    }

    public void Dispose() => Repository.Dispose();
}
