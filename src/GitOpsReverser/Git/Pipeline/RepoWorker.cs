using GitOpsReverser.Git.Clone;
using GitOpsReverser.Git.Transport;
using Microsoft.Extensions.Logging;
using Polly;

namespace GitOpsReverser.Git.Pipeline;

/// <summary>
/// One repository configuration's Git pipeline: a queue of changes bounded in bytes (one commit per
/// change below the bound, changes to one object folded together above it), commits built in the
/// object database of a bare clone under the data directory, batched pushes guarded by
/// Polly (retries with jittered backoff, a circuit breaker), and last-writer-wins replay when the
/// branch moved. Commits are durable before they are pushed: a restart pushes what is left.
/// </summary>
internal sealed class RepoWorker : IRepoPipeline
{
    private readonly RepoWorkerOptions options;
    private readonly TimeProvider time;
    private readonly GitMetrics metrics;
    private readonly ILogger logger;
    private readonly ChangeQueue queue;
    private readonly GitRemote remote;
    private readonly ResiliencePipeline pipeline;
    private LocalClone? clone;
    private RemoteSync? sync;
    private readonly PackingSchedule packing;
    private readonly PushSchedule schedule;
    private CommitBuilder? commits;
    private readonly LoopRequests requests;
    private DateTimeOffset lastCoalescingLog = DateTimeOffset.MinValue;
    private volatile RepoWorkerStatus status = new(null, null, 0, 0, null, Started: false);

    public RepoWorker(RepoWorkerOptions options, TimeProvider time, GitMetrics metrics, ILogger<RepoWorker> logger)
    {
        this.options = options;
        this.time = time;
        this.metrics = metrics;
        this.logger = logger;
        queue = new ChangeQueue(options.QueueBytes, Coalesced);
        remote = new GitRemote(options.Url, options.Credentials);
        pipeline = RemoteResilience.Build(time);
        packing = new PackingSchedule(options, metrics, logger);
        schedule = new PushSchedule(options, time);
        requests = new LoopRequests();
        metrics.TrackQueue(options.MetricsLabel, () => queue.Count, () => queue.Bytes);
        metrics.TrackPushes(options.MetricsLabel, () => status);
    }

    public string Id => options.Id;

    /// <summary>The current status; <see cref="RepoWorkerStatus.QueuedChanges"/> counts changes taken but not yet committed too.</summary>
    public RepoWorkerStatus Status => status with
    {
        QueuedChanges = queue.Count + queue.InFlight,
        QueuedBytes = queue.Bytes,
        CoalescedChanges = queue.Coalesced,
    };

    /// <summary>Where the bare clone lives.</summary>
    public string ClonePath => Path.Combine(options.DataDirectory, "repos", options.Id);

    /// <summary>
    /// Queues a change. Past <see cref="RepoWorkerOptions.QueueBytes"/> it is folded into a waiting change to the
    /// same path, or waits for room.
    /// </summary>
    public ValueTask EnqueueAsync(GitChange change, CancellationToken cancellationToken) => queue.EnqueueAsync(change, cancellationToken);

    /// <inheritdoc cref="ChangeQueue.EnqueueResyncAsync"/>
    public ValueTask EnqueueResyncAsync(IReadOnlyList<GitChange> changes, CancellationToken cancellationToken) =>
        queue.EnqueueResyncAsync(changes, cancellationToken);

    /// <inheritdoc cref="ChangeQueue.EnqueueTakeoverAsync"/>
    public ValueTask EnqueueTakeoverAsync(IReadOnlyList<GitChange> journal, CancellationToken cancellationToken) =>
        queue.EnqueueTakeoverAsync(journal, cancellationToken);

    /// <summary>
    /// The blob id of every file under <paramref name="folder"/> (empty: the whole tree) once every change
    /// queued before the call is committed: what the branch holds, as the next commit starts from it.
    /// </summary>
    public Task<Dictionary<string, BlobId>> ReadFilesAsync(string folder, CancellationToken cancellationToken) =>
        requests.RunAsync(() => clone!.FileIds(folder), cancellationToken);

    /// <summary>
    /// The content of each of <paramref name="paths"/> that the branch holds, once every change queued before the
    /// call is committed; a path it does not hold is left out.
    /// </summary>
    public Task<Dictionary<string, byte[]>> ReadContentsAsync(IReadOnlyCollection<string> paths, CancellationToken cancellationToken) =>
        requests.RunAsync(() => clone!.Contents(paths), cancellationToken);

    /// <summary>Asks for the commits made so far to be pushed now, without waiting for the batching windows.</summary>
    public void RequestPush()
    {
        schedule.Request();
        requests.Wake();
    }

    /// <summary>Runs until cancelled: commits what arrives, pushes in batches, retries, replays after conflicts.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(ClonePath);
        clone = LocalClone.Open(ClonePath, remote.Url, options.Branch);
        clone.Signer = options.Signer;
        commits = new CommitBuilder(clone, options, metrics, time, logger);
        sync = new RemoteSync(clone, ClonePath, remote, pipeline, schedule, options, metrics, time, logger);
        await sync.FetchAsync(cancellationToken, adoptRemote: true);

        // The outbox: commits a previous run made but could not push.
        schedule.Found(clone.Unpushed().Count);

        var push = sync.Push;
        Log.CloneOpened(logger, options.Id, ClonePath, options.Branch, schedule.Unpushed);
        status = status with { Started = true };
        Publish();
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                await CommitQueuedAsync(cancellationToken);
                requests.RunPending();

                if (push.HasEnded)
                {
                    await FinishPushAsync(cancellationToken);
                }

                if (packing.CanFinish(push))
                {
                    await packing.FinishAsync(clone, push);
                    Publish();
                }

                if (!push.IsRunning && schedule.IsDue)
                {
                    sync.StartPush(cancellationToken);
                }

                await WaitForWorkAsync(cancellationToken);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            await PushBeforeStopAsync();
        }
    }

    private async Task PushBeforeStopAsync()
    {
        await sync!.PushBeforeStopAsync();
        Publish();
        Log.Stopped(logger, options.Id, schedule.Unpushed);
    }

    public void Dispose()
    {
        metrics.UntrackQueue(options.MetricsLabel);
        sync?.Dispose();
        packing.Dispose();

        clone?.Dispose();
        requests.Dispose();
    }

    // Whether the commit loop should stop so that a push can start, or an ended push or packing be finished.
    private bool BackgroundWorkDue() =>
        packing.CanFinish(sync!.Push)
        || (sync.Push.IsRunning ? sync.Push.HasEnded : schedule.IsDue);

    private async Task WaitForWorkAsync(CancellationToken cancellationToken)
    {
        if (!requests.IsEmpty || BackgroundWorkDue())
        {
            return;
        }

        var arrival = queue.WaitAsync(cancellationToken);
        var push = sync!.Push;
        var delay = push.IsRunning ? Timeout.InfiniteTimeSpan : schedule.UntilDue;
        if (delay == Timeout.InfiniteTimeSpan || delay > TimeSpan.Zero)
        {
            using var stopWaiting = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            var timer = Task.Delay(delay, time, stopWaiting.Token);
            Task[] background = [.. new[] { push.Running, packing.Running }.OfType<Task>()];
            await Task.WhenAny([arrival, timer, requests.WaitAsync(stopWaiting.Token), .. background]);
            await stopWaiting.CancelAsync();
            cancellationToken.ThrowIfCancellationRequested();
        }
    }

    private async Task CommitQueuedAsync(CancellationToken cancellationToken)
    {
        if (options.CommitWindow <= TimeSpan.Zero)
        {
            // Under a backlog the queue never empties: stop when a push is due or has ended, so pushes
            // stay as batched as configured instead of growing with the backlog.
            while (!BackgroundWorkDue() && queue.TryTake(out var entry))
            {
                Commit(entry);
                queue.Done(1);
            }

            return;
        }

        if (queue.Count == 0)
        {
            return;
        }

        await Task.Delay(options.CommitWindow, time, cancellationToken);
        var batch = new List<QueuedChange>();
        var taken = 0;
        while (queue.TryTake(out var entry))
        {
            taken++;
            if (entry.Change.IsGroup)
            {
                // A resync stays one commit of its own, after what was queued before it.
                CommitChanges(batch, resync: false);
                Commit(entry);
                batch.Clear();
                continue;
            }

            batch.Add(entry);
        }

        CommitChanges(batch, resync: false);
        queue.Done(taken);
    }

    private void Commit(QueuedChange entry)
    {
        Committed(commits!.Commit(entry));
        if (entry.Change.Takeover is not null)
        {
            // What the gap left out reaches the remote at once.
            schedule.Request();
        }
    }

    private void CommitChanges(IReadOnlyList<QueuedChange> entries, bool resync) => Committed(commits!.Commit(entries, resync) ? 1 : 0);

    private void Committed(int count)
    {
        for (var i = 0; i < count; i++)
        {
            metrics.Committed(options.MetricsLabel);
            schedule.Committed(sync!.Push.IsRunning);
        }

        if (count > 0)
        {
            Publish();
        }
    }

    // The queue is past its bound and folded a change into an earlier one: counted, and said at most once a minute.
    private void Coalesced()
    {
        metrics.Coalesced(options.MetricsLabel);
        var now = time.GetUtcNow();
        if (now - lastCoalescingLog >= TimeSpan.FromMinutes(1))
        {
            lastCoalescingLog = now;
            Log.Coalescing(logger, options.Id, queue.Bytes, queue.MaxBytes, queue.Coalesced);
        }
    }

    private async Task FinishPushAsync(CancellationToken cancellationToken)
    {
        if (await sync!.FinishPushAsync(cancellationToken))
        {
            packing.AfterPush(clone!);
        }

        Publish();
    }

    private void Publish() => status = status with
    {
        LastCommit = clone?.HeadId?.Sha,
        LastPushTime = sync?.LastPushTime,
        LastError = sync?.LastError,
        PendingCommits = schedule.Unpushed,
        Packing = packing.IsRunning,
        OldestPendingCommit = schedule.OldestUnpushed,
    };
}
