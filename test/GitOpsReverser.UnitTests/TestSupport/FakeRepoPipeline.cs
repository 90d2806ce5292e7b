using GitOpsReverser.Git;

namespace GitOpsReverser.UnitTests.TestSupport;

/// <summary>A Git pipeline that only records what it is given, and answers file reads from <see cref="Files"/>.</summary>
internal sealed class FakeRepoPipeline : IRepoPipeline
{
    public List<GitChange> Changes { get; } = [];

    public List<IReadOnlyList<GitChange>> Resyncs { get; } = [];

    /// <summary>What the branch holds: path to blob id.</summary>
    public Dictionary<string, BlobId> Files { get; } = new(StringComparer.Ordinal);

    public List<string> FoldersRead { get; } = [];

    public int PushRequests { get; private set; }

    public bool Disposed { get; private set; }

    public string ClonePath { get; init; } = "/nonexistent/fake-clone";

    public RepoWorkerStatus Status { get; set; } = new(null, null, 0, 0, null, Started: true);

    /// <summary>When set, the pipeline stops with this failure as soon as it runs.</summary>
    public Exception? Failure { get; set; }

    /// <summary>When set, the pipeline runs until this completes, then stops with <see cref="Failure"/>.</summary>
    public Task? FailsWhen { get; set; }

    /// <summary>When set, changes wait for this before they are taken (a queue with no room).</summary>
    public Task? RoomWhen { get; set; }

    /// <summary>When set, file reads wait for this (a worker busy or hanging).</summary>
    public Task? ReadsWhen { get; set; }

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        if (FailsWhen is { } fails)
        {
            await fails.WaitAsync(cancellationToken);
        }

        if (Failure is { } failure)
        {
            throw failure;
        }

        await Task.Delay(Timeout.Infinite, cancellationToken);
    }

    public async ValueTask EnqueueAsync(GitChange change, CancellationToken cancellationToken)
    {
        if (RoomWhen is { } room)
        {
            await room.WaitAsync(cancellationToken);
        }

        Changes.Add(change);
    }

    public List<IReadOnlyList<GitChange>> Takeovers { get; } = [];

    public ValueTask EnqueueTakeoverAsync(IReadOnlyList<GitChange> journal, CancellationToken cancellationToken)
    {
        Takeovers.Add(journal);
        return ValueTask.CompletedTask;
    }

    public ValueTask EnqueueResyncAsync(IReadOnlyList<GitChange> changes, CancellationToken cancellationToken)
    {
        Resyncs.Add(changes);
        return ValueTask.CompletedTask;
    }

    public async Task<Dictionary<string, BlobId>> ReadFilesAsync(string folder, CancellationToken cancellationToken)
    {
        FoldersRead.Add(folder);
        if (ReadsWhen is { } reads)
        {
            await reads.WaitAsync(cancellationToken);
        }

        return Files.Where(file => folder.Length == 0 || file.Key.StartsWith(folder + "/", StringComparison.Ordinal))
            .ToDictionary(file => file.Key, file => file.Value, StringComparer.Ordinal);
    }

    /// <summary>What <see cref="ReadContentsAsync"/> answers: path to content.</summary>
    public Dictionary<string, byte[]> Contents { get; } = new(StringComparer.Ordinal);

    public Task<Dictionary<string, byte[]>> ReadContentsAsync(IReadOnlyCollection<string> paths, CancellationToken cancellationToken) =>
        Task.FromResult(paths.Where(Contents.ContainsKey).ToDictionary(path => path, path => Contents[path], StringComparer.Ordinal));

    public void RequestPush() => PushRequests++;

    public void Dispose() => Disposed = true;
}
