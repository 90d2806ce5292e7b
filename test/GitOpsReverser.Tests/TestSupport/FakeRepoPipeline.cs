using GitOpsReverser.Git;
using LibGit2Sharp;

namespace GitOpsReverser.Tests.TestSupport;

/// <summary>A Git pipeline that only records what it is given, and answers file reads from <see cref="Files"/>.</summary>
internal sealed class FakeRepoPipeline : IRepoPipeline
{
    public List<GitChange> Changes { get; } = [];

    public List<IReadOnlyList<GitChange>> Resyncs { get; } = [];

    /// <summary>What the branch holds: path to blob id.</summary>
    public Dictionary<string, ObjectId> Files { get; } = new(StringComparer.Ordinal);

    public List<string> FoldersRead { get; } = [];

    public int PushRequests { get; private set; }

    public bool Disposed { get; private set; }

    public string ClonePath => "/nonexistent/fake-clone";

    public RepoWorkerStatus Status { get; set; } = new(null, null, 0, 0, null, Started: true);

    /// <summary>When set, the pipeline stops with this failure as soon as it runs.</summary>
    public Exception? Failure { get; set; }

    public Task RunAsync(CancellationToken cancellationToken) =>
        Failure is { } failure ? Task.FromException(failure) : Task.Delay(Timeout.Infinite, cancellationToken);

    public ValueTask EnqueueAsync(GitChange change, CancellationToken cancellationToken)
    {
        Changes.Add(change);
        return ValueTask.CompletedTask;
    }

    public ValueTask EnqueueResyncAsync(IReadOnlyList<GitChange> changes, CancellationToken cancellationToken)
    {
        Resyncs.Add(changes);
        return ValueTask.CompletedTask;
    }

    public Task<Dictionary<string, ObjectId>> ReadFilesAsync(string folder, CancellationToken cancellationToken)
    {
        FoldersRead.Add(folder);
        return Task.FromResult(Files.Where(file => folder.Length == 0 || file.Key.StartsWith(folder + "/", StringComparison.Ordinal))
            .ToDictionary(file => file.Key, file => file.Value, StringComparer.Ordinal));
    }

    /// <summary>What <see cref="ReadContentsAsync"/> answers: path to content.</summary>
    public Dictionary<string, byte[]> Contents { get; } = new(StringComparer.Ordinal);

    public Task<Dictionary<string, byte[]>> ReadContentsAsync(IReadOnlyCollection<string> paths, CancellationToken cancellationToken) =>
        Task.FromResult(paths.Where(Contents.ContainsKey).ToDictionary(path => path, path => Contents[path], StringComparer.Ordinal));

    public void RequestPush() => PushRequests++;

    public void Dispose() => Disposed = true;
}
