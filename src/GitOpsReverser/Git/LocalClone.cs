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

        return new LocalClone(repository, branch);
    }

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
        var treeId = Tree.Write();
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

    /// <summary>
    /// Packs every object reachable from the branch and the remote branch into one pack, then deletes
    /// the loose objects and older packs: what git gc does, so the clone stops growing by a tree object
    /// per commit. Objects no ref reaches (left behind by conflict replays) go too.
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

        Repository.ObjectDatabase.Pack(new PackBuilderOptions(packs) { MaximumNumberOfThreads = 1 }, builder =>
        {
            // Every commit of the history with its tree: adding a commit alone does not add its parents.
            foreach (var commit in Repository.Commits.QueryBy(new CommitFilter { IncludeReachableFrom = heads }))
            {
                builder.AddRecursively(commit);
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

        foreach (var old in oldPacks)
        {
            File.Delete(old);
        }

        // libgit2 keeps its list of packs and loose objects: open the repository afresh.
        var path = Repository.Info.Path;
        Repository.Dispose();
        Repository = new Repository(path);
        Tree = GitTreeState.For(Repository, headTreeId);
        CommitsSinceCompaction = 0;
    }

    /// <summary>Writes <paramref name="content"/> as a blob (a no-op when it exists) and returns its id.</summary>
    public ObjectId WriteBlob(byte[] content) => Repository.ObjectDatabase.Write<Blob>(content);

    public void Dispose() => Repository.Dispose();
}
