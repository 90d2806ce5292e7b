namespace GitOpsReverser.Git.Pipeline;

/// <summary>
/// A standby's pipeline: it commits nothing and keeps, in order, the changes the standby sees, bounded in bytes
/// as the leader's queue is (the oldest go first: the leader committed them long ago). When the standby takes
/// over, its new worker commits those the old leader did not (<see cref="RepoWorker.EnqueueTakeoverAsync"/>).
/// Resyncs are not kept (the new leader makes its own), and it reads no repository: a standby has none open.
/// </summary>
internal sealed class ChangeJournal(long maxBytes) : IRepoPipeline
{
    private readonly LinkedList<(GitChange Change, long Bytes)> changes = new();
    private readonly Lock gate = new();
    private long bytes;

    /// <summary>Changes dropped, the oldest first, to stay within the bound.</summary>
    public long Dropped { get; private set; }

    public string ClonePath => "";

    public RepoWorkerStatus Status => new(null, null, 0, 0, null, Started: true);

    /// <summary>The changes kept, oldest first.</summary>
    public IReadOnlyList<GitChange> Changes
    {
        get
        {
            lock (gate)
            {
                return [.. changes.Select(entry => entry.Change)];
            }
        }
    }

    public Task RunAsync(CancellationToken cancellationToken) => Task.Delay(Timeout.Infinite, cancellationToken);

    public ValueTask EnqueueAsync(GitChange change, CancellationToken cancellationToken)
    {
        var size = new QueuedChange(change, 1).Bytes;
        lock (gate)
        {
            changes.AddLast((change, size));
            bytes += size;
            while (bytes > maxBytes && changes.First is { } oldest && oldest != changes.Last)
            {
                changes.RemoveFirst();
                bytes -= oldest.Value.Bytes;
                Dropped++;
            }
        }

        return ValueTask.CompletedTask;
    }

    public ValueTask EnqueueResyncAsync(IReadOnlyList<GitChange> changes, CancellationToken cancellationToken) => ValueTask.CompletedTask;

    public ValueTask EnqueueTakeoverAsync(IReadOnlyList<GitChange> journal, CancellationToken cancellationToken) => ValueTask.CompletedTask;

    public Task<Dictionary<string, BlobId>> ReadFilesAsync(string folder, CancellationToken cancellationToken) =>
        Task.FromResult(new Dictionary<string, BlobId>(StringComparer.Ordinal));

    public Task<Dictionary<string, byte[]>> ReadContentsAsync(IReadOnlyCollection<string> paths, CancellationToken cancellationToken) =>
        Task.FromResult(new Dictionary<string, byte[]>(StringComparer.Ordinal));

    public void RequestPush()
    {
    }

    public void Dispose()
    {
    }
}
