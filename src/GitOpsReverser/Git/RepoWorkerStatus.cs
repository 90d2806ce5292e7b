using GitOpsReverser.Git.Transport;
namespace GitOpsReverser.Git;

/// <summary>What a RepoWorker reports for its GitRepoConfig's status.</summary>
/// <param name="LastCommit">The branch head's commit id, or null before the first commit.</param>
/// <param name="LastPushTime">When the last push succeeded.</param>
/// <param name="PendingCommits">Commits made locally and not yet pushed.</param>
/// <param name="QueuedChanges">Changes waiting to be committed.</param>
/// <param name="LastError">The last remote failure, until a push succeeds.</param>
/// <param name="Started">True once the clone is open and the remote was fetched (or tried).</param>
internal sealed record RepoWorkerStatus(
    string? LastCommit,
    DateTimeOffset? LastPushTime,
    int PendingCommits,
    int QueuedChanges,
    GitRemoteException? LastError,
    bool Started)
{
    public bool Ready => LastError is null;

    /// <summary>True while the clone's loose objects are being packed beside commits.</summary>
    public bool Packing { get; init; }

    /// <summary>When the oldest commit not yet pushed was made; null when every commit is pushed.</summary>
    public DateTimeOffset? OldestPendingCommit { get; init; }

    /// <summary>What the waiting changes hold, in bytes.</summary>
    public long QueuedBytes { get; init; }

    /// <summary>Changes folded into an earlier change to the same object since the worker started (the queue was past its bound).</summary>
    public long CoalescedChanges { get; init; }
}
