namespace GitOpsReverser.Git;

/// <summary>
/// What the capture stage needs of one repository's Git pipeline (<see cref="Pipeline.RepoWorker"/>): changes in,
/// the files the branch holds out, and the pipeline's status.
/// </summary>
internal interface IRepoPipeline : IDisposable
{
    /// <summary>Where the pipeline's local clone lives.</summary>
    string ClonePath { get; }

    RepoWorkerStatus Status { get; }

    /// <summary>Runs the pipeline until cancelled.</summary>
    Task RunAsync(CancellationToken cancellationToken);

    /// <summary>Queues a change; it becomes one commit, or is folded with others past the queue's byte bound.</summary>
    ValueTask EnqueueAsync(GitChange change, CancellationToken cancellationToken);

    /// <summary>Queues one <c>[RESYNC]</c> commit holding <paramref name="changes"/>, in order with the changes around it.</summary>
    ValueTask EnqueueResyncAsync(IReadOnlyList<GitChange> changes, CancellationToken cancellationToken);

    /// <summary>Queues what a standby saw before it took over: each change the branch does not have yet becomes its own commit.</summary>
    ValueTask EnqueueTakeoverAsync(IReadOnlyList<GitChange> journal, CancellationToken cancellationToken);

    /// <summary>The blob id of every file under <paramref name="folder"/> once every change queued before the call is committed.</summary>
    Task<Dictionary<string, BlobId>> ReadFilesAsync(string folder, CancellationToken cancellationToken);

    /// <summary>The content of each of <paramref name="paths"/> the branch holds once every change queued before the call is committed.</summary>
    Task<Dictionary<string, byte[]>> ReadContentsAsync(IReadOnlyCollection<string> paths, CancellationToken cancellationToken);

    /// <summary>Asks for the commits made so far to be pushed now.</summary>
    void RequestPush();
}
