using GitOpsReverser.Git.Transport;
using LibGit2Sharp;

namespace GitOpsReverser.Git.Clone;

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
        HeadId = Repository.Refs[BranchRef]?.ResolveToDirectReference()?.TargetIdentifier is { } head ? new ObjectId(head) : null;
        headTreeId = Head?.Tree.Id;
        Tree = GitTreeState.For(repository, headTreeId);
    }

    // The head's tree id, kept so that comparing with it never loads (parses) a large root tree.
    private ObjectId? headTreeId;

    public Repository Repository { get; private set; }

    public string BranchRef => $"refs/heads/{branch}";

    public string RemoteRef => $"refs/remotes/{GitRemote.RemoteName}/{branch}";

    /// <summary>
    /// The branch head's id, kept as this clone moves it (it alone writes the branch), so a commit and a
    /// status report read no ref file.
    /// </summary>
    public ObjectId? HeadId { get; private set; }

    public Commit? Head => HeadId is null ? null : Repository.Lookup<Commit>(HeadId);

    public Commit? RemoteHead => Repository.Refs[RemoteRef]?.ResolveToDirectReference()?.Target as Commit;

    /// <summary>The tree of <see cref="Head"/>, with the changes of the next commit applied as they come.</summary>
    public GitTreeState Tree { get; private set; }

    // libgit2 hashes every object it reads again (with its slower, collision-detecting SHA-1), which git
    // leaves to fsck; packing reads each version of every folder, and spent most of its time hashing.
    private static readonly Lazy<bool> Settings = new(() =>
    {
        GlobalSettings.SetStrictHashVerification(false);
        return true;
    });

    /// <summary>
    /// The clone's <c>pack.windowMemory</c>, which libgit2's pack builder reads for every push and packing: its delta
    /// search keeps at most this many bytes of candidates in its window of 10. At 100,000 objects a push of 500 commits
    /// searched among 45 KB folder trees for most of its CPU; this bound cut the operator's CPU per change until on the
    /// remote from 15.0 to 9.1 ms, for a remote 14 % bigger (README, Benchmarks).
    /// </summary>
    public const string PackWindowMemory = "256k";

    /// <summary>Opens the clone at <paramref name="path"/>, creating a bare repository with an <c>origin</c> remote when there is none.</summary>
    public static LocalClone Open(string path, string url, string branch)
    {
        if (!Repository.IsValid(path))
        {
            Directory.CreateDirectory(path);
            Repository.Init(path, isBare: true);
        }

        _ = Settings.Value;

        // HEAD names the branch even before it exists (an unborn branch in a new clone).
        File.WriteAllText(Path.Combine(path, "HEAD"), $"ref: refs/heads/{branch}\n");
        var repository = new Repository(path);
        if (repository.Config.Get<string>("pack.windowMemory")?.Value != PackWindowMemory)
        {
            repository.Config.Set("pack.windowMemory", PackWindowMemory);
        }

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

    /// <summary>When set, every commit is signed with it (an SSH signature in the commit's <c>gpgsig</c> header).</summary>
    public SshCommitSigner? Signer { get; set; }

    /// <summary>Commits the tree as it is now on top of the head; returns null when it equals the head's tree.</summary>
    public ObjectId? Commit(string message, Signature author, Signature committer)
    {
        var written = Tree.BytesWritten;
        var treeId = Tree.Write();
        LooseBytesSinceCompaction += Tree.BytesWritten - written;
        if (treeId == headTreeId || (HeadId is null && Tree.IsEmpty))
        {
            return null;
        }

        Commit[] parents = HeadId is null ? [] : [Repository.Lookup<Commit>(HeadId)];
        var tree = Repository.Lookup<Tree>(treeId);
        ObjectId id;
        if (Signer is { } signer)
        {
            // libgit2 writes the commit's text and the signature as its gpgsig header, as git commit -S does.
            var content = LibGit2Sharp.Commit.CreateBuffer(author, committer, message, tree, parents, prettifyMessage: false, commentChar: null);
            id = Repository.ObjectDatabase.CreateCommitWithSignature(content, signer.Sign(content));
        }
        else
        {
            id = Repository.ObjectDatabase.CreateCommit(author, committer, message, tree, parents, prettifyMessage: false).Id;
        }

        Repository.Refs.Add(BranchRef, id, allowOverwrite: true);
        HeadId = id;
        headTreeId = treeId;
        CommitsSinceCompaction++;
        return id;
    }

    /// <summary>Points the branch (and the in-memory tree) at <paramref name="commit"/>.</summary>
    public void MoveHead(Commit commit)
    {
        Repository.Refs.Add(BranchRef, commit.Id, allowOverwrite: true);
        HeadId = commit.Id;
        headTreeId = commit.Tree.Id;
        Tree = GitTreeState.For(Repository, headTreeId);
    }

    /// <summary>The commit <paramref name="generations"/> first parents behind the head (the head for 0).</summary>
    public ObjectId FirstParentAncestor(int generations)
    {
        var commit = Head ?? throw new InvalidOperationException("the branch has no commit");
        for (var i = 0; i < generations && commit.Parents.FirstOrDefault() is { } parent; i++)
        {
            commit = parent;
        }

        return commit.Id;
    }

    /// <summary>Marks the remote branch as being at <paramref name="commit"/> (after a successful push of it).</summary>
    public void MarkPushed(ObjectId commit) => Repository.Refs.Add(RemoteRef, commit, allowOverwrite: true);

    /// <summary>Commits made since the last packing (or since the clone was opened).</summary>
    public int CommitsSinceCompaction { get; private set; }

    /// <summary>Roughly how many bytes of loose objects (trees and blobs) were written since the last packing.</summary>
    public long LooseBytesSinceCompaction { get; private set; }

    /// <summary>After this many packs, the next packing rewrites every object into one pack.</summary>
    public const int MaximumPacks = 16;

    private string PacksFolder => Path.Combine(Repository.Info.Path, "objects", "pack");

    /// <summary>A packing of the objects written so far, to run on another thread (<see cref="ClonePack.Run"/>), then <see cref="FinishPacking"/>.</summary>
    public ClonePack StartPacking() =>
        StartPacking(full: Directory.Exists(PacksFolder) && Directory.GetFiles(PacksFolder, "pack-*.pack").Length >= MaximumPacks);

    /// <summary>A packing of the loose objects, or of every object when <paramref name="full"/>.</summary>
    public ClonePack StartPacking(bool full) => new(Repository.Info.Path, full, CommitsSinceCompaction, LooseBytesSinceCompaction);

    /// <summary>
    /// After <paramref name="packing"/> ran, while no push runs: the handle learns the new pack, the packs
    /// a full packing replaced go, and the counters keep what came since.
    /// </summary>
    public void FinishPacking(ClonePack packing)
    {
        Reopen();
        packing.DeleteReplacedPacks();
        CommitsSinceCompaction -= packing.Commits;
        LooseBytesSinceCompaction -= packing.LooseBytes;
    }

    // libgit2 keeps its lists of packs and loose objects: open the repository afresh, keeping the loaded folders.
    private void Reopen()
    {
        var path = Repository.Info.Path;
        Repository.Dispose();
        Repository = new Repository(path);
        Tree.Rebind(Repository);
    }

    /// <summary>Writes <paramref name="content"/> as a blob and returns its id.</summary>
    public ObjectId WriteBlob(byte[] content)
    {
        LooseBytesSinceCompaction += content.Length;
        return Repository.ObjectDatabase.Write<Blob>(content);
    }

    /// <summary>The blob id of every file under <paramref name="folder"/> (empty: the whole tree) on the branch as it stands.</summary>
    public Dictionary<string, BlobId> FileIds(string folder)
    {
        var files = new Dictionary<string, BlobId>(StringComparer.Ordinal);
        foreach (var path in Tree.Files(folder))
        {
            files[path] = BlobId.From(Tree.Get(path)!);
        }

        return files;
    }

    /// <summary>The content of each of <paramref name="paths"/> the branch holds; a path it does not hold is left out.</summary>
    public Dictionary<string, byte[]> Contents(IReadOnlyCollection<string> paths)
    {
        var contents = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        foreach (var path in paths)
        {
            if (Tree.Get(path) is { } id && Repository.Lookup<Blob>(id) is { } blob)
            {
                contents[path] = BlobBytes.Of(blob);
            }
        }

        return contents;
    }

    public void Dispose() => Repository.Dispose();
}
