using System.Diagnostics.Metrics;
using GitOpsReverser.Git;
using GitOpsReverser.Git.Pipeline;
using GitOpsReverser.Git.Transport;
using GitOpsReverser.Manifests;
using Microsoft.Extensions.Logging.Abstractions;

namespace GitOpsReverser.IntegrationTests.TestSupport;

/// <summary>A RepoWorker running on its own task for one test, with helpers to feed it and wait for it.</summary>
internal sealed class RunningWorker : IAsyncDisposable
{
    private readonly CancellationTokenSource stop = new();
    private Task run = Task.CompletedTask;

    private RunningWorker(RepoWorker worker, bool start = true)
    {
        Worker = worker;
        if (start)
        {
            Run();
        }
    }

    /// <summary>A worker not started yet: what is queued before <see cref="Run"/> is there when it starts.</summary>
    public static RunningWorker Wrap(RepoWorker worker) => new(worker, start: false);

    /// <summary>Starts the worker on its own task.</summary>
    public void Run() => run = Task.Run(() => Worker.RunAsync(stop.Token));

    public RepoWorker Worker { get; }

    public static RunningWorker Start(RepoWorkerOptions options, IMeterFactory? meters = null) =>
        new(Create(options, meters));

    public static RepoWorker Create(RepoWorkerOptions options, IMeterFactory? meters = null) =>
        new(options, TimeProvider.System, new GitMetrics(meters ?? new TestMeterFactory()), NullLogger<RepoWorker>.Instance);

    public ValueTask PutAsync(string path, string content, string name = "app", string? user = "alice", DateTimeOffset? at = null,
        ChangeOperation operation = ChangeOperation.Update) =>
        Worker.EnqueueAsync(Change(path, System.Text.Encoding.UTF8.GetBytes(content), name, user, at, operation), CancellationToken.None);

    public ValueTask DeleteAsync(string path, string name = "app", string? user = "alice", DateTimeOffset? at = null) =>
        Worker.EnqueueAsync(Change(path, null, name, user, at, ChangeOperation.Delete), CancellationToken.None);

    public static GitChange Change(string path, byte[]? content, string name, string? user, DateTimeOffset? at, ChangeOperation operation) =>
        new(path, content, new ChangeDescription(operation, new ObjectIdentity("v1", "ConfigMap", "prod", name), null,
            at ?? DateTimeOffset.UtcNow, "42")
        { User = user });

    /// <summary>Waits until everything queued is committed and pushed (or, with <paramref name="allowPending"/>, just committed).</summary>
    public async Task<RepoWorkerStatus> WaitUntilIdleAsync(bool allowPending = false, double seconds = 30)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (true)
        {
            if (run.IsFaulted)
            {
                throw run.Exception!;
            }

            var status = Worker.Status;
            if (status.Started && status.QueuedChanges == 0 && !status.Packing && (allowPending || status.PendingCommits == 0))
            {
                return status;
            }

            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail($"the worker did not become idle: {status}");
            }

            if (!allowPending)
            {
                Worker.RequestPush();
            }

            await Task.Delay(20);
        }
    }

    /// <summary>Waits until the worker reports a remote failure (fails the test after <paramref name="seconds"/>).</summary>
    public async Task<GitRemoteException> WaitForErrorAsync(double seconds = 30)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (Worker.Status.LastError is null)
        {
            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail($"no error reported: {Worker.Status}");
            }

            await Task.Delay(20);
        }

        return Worker.Status.LastError!;
    }

    /// <summary>Once what was queued is committed, asks for a push and waits for the failure it must meet.</summary>
    public async Task<GitRemoteException> PushExpectingErrorAsync()
    {
        await WaitUntilIdleAsync(allowPending: true);
        Worker.RequestPush();
        return await WaitForErrorAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await stop.CancelAsync();
        await run.ContinueWith(_ => { }, TaskScheduler.Default);
        Worker.Dispose();
        stop.Dispose();
    }
}
