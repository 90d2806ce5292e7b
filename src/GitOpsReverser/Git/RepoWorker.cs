using LibGit2Sharp;
using Microsoft.Extensions.Logging;
using Polly;
using Polly.CircuitBreaker;

namespace GitOpsReverser.Git;

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
    private readonly string url;
    private readonly ResiliencePipeline pipeline;
    private LocalClone? clone;
    private BackgroundPush? push;
    private readonly ClonePacking packing;
    private DateTimeOffset? firstCommitDuringPush;
    private int unpushed;
    private DateTimeOffset? oldestUnpushed;
    private DateTimeOffset lastCommit;
    private DateTimeOffset nextPushAttempt;
    private int consecutiveFailures;
    private long pushRequestedAtTicks = long.MinValue;
    private int inFlight;
    private readonly SemaphoreSlim wakeUp = new(0, 1);
    private readonly System.Collections.Concurrent.ConcurrentQueue<Action> requests = new();
    private long resyncs;
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
        url = remote.Url;
        pipeline = RemotePipeline.Build(time);
        packing = new ClonePacking(options, metrics, logger);
        metrics.TrackQueue(options.MetricsLabel, () => queue.Count, () => queue.Bytes);
        metrics.TrackPushes(options.MetricsLabel, () => status);
    }

    public string Id => options.Id;

    /// <summary>The current status; <see cref="RepoWorkerStatus.QueuedChanges"/> counts changes taken but not yet committed too.</summary>
    public RepoWorkerStatus Status => status with
    {
        QueuedChanges = queue.Count + Volatile.Read(ref inFlight),
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

    /// <summary>
    /// Queues one <c>[RESYNC]</c> commit holding <paramref name="changes"/>. Changes queued before it are
    /// committed before it, changes queued after it after it.
    /// </summary>
    public ValueTask EnqueueResyncAsync(IReadOnlyList<GitChange> changes, CancellationToken cancellationToken)
    {
        if (changes.Count == 0)
        {
            return ValueTask.CompletedTask;
        }

        var key = $"\0resync/{Interlocked.Increment(ref resyncs)}";
        return queue.EnqueueAsync(new GitChange(key, null, changes[0].Description, changes), cancellationToken);
    }

    /// <summary>
    /// Queues what a standby saw before it took over (<paramref name="journal"/>, oldest first): once the branch is
    /// fetched, each change the old leader did not commit (<see cref="CommittedChanges"/>) becomes its own commit, in
    /// order, with the message it would have had. Changes queued after it are committed after it.
    /// </summary>
    public ValueTask EnqueueTakeoverAsync(IReadOnlyList<GitChange> journal, CancellationToken cancellationToken) =>
        journal.Count == 0
            ? ValueTask.CompletedTask
            : queue.EnqueueAsync(new GitChange("\0takeover", null, journal[0].Description) { Takeover = journal }, cancellationToken);

    /// <summary>
    /// The blob id of every file under <paramref name="folder"/> (empty: the whole tree) once every change
    /// queued before the call is committed: what the branch holds, as the next commit starts from it.
    /// </summary>
    public Task<Dictionary<string, ObjectId>> ReadFilesAsync(string folder, CancellationToken cancellationToken)
    {
        var answer = new TaskCompletionSource<Dictionary<string, ObjectId>>(TaskCreationOptions.RunContinuationsAsynchronously);
        requests.Enqueue(() =>
        {
            try
            {
                var files = new Dictionary<string, ObjectId>(StringComparer.Ordinal);
                foreach (var path in clone!.Tree.Files(folder))
                {
                    files[path] = clone.Tree.Get(path)!;
                }

                answer.TrySetResult(files);
            }
            catch (Exception exception) when (exception is LibGit2SharpException or IOException)
            {
                answer.TrySetException(exception);
            }
        });
        Wake();
        return answer.Task.WaitAsync(cancellationToken);
    }

    /// <summary>
    /// The content of each of <paramref name="paths"/> that the branch holds, once every change queued before the
    /// call is committed; a path it does not hold is left out.
    /// </summary>
    public Task<Dictionary<string, byte[]>> ReadContentsAsync(IReadOnlyCollection<string> paths, CancellationToken cancellationToken)
    {
        var answer = new TaskCompletionSource<Dictionary<string, byte[]>>(TaskCreationOptions.RunContinuationsAsynchronously);
        requests.Enqueue(() =>
        {
            try
            {
                var contents = new Dictionary<string, byte[]>(StringComparer.Ordinal);
                foreach (var path in paths)
                {
                    if (clone!.Tree.Get(path) is { } id && clone.Repository.Lookup<Blob>(id) is { } blob)
                    {
                        using var stream = blob.GetContentStream();
                        using var bytes = new MemoryStream();
                        stream.CopyTo(bytes);
                        contents[path] = bytes.ToArray();
                    }
                }

                answer.TrySetResult(contents);
            }
            catch (Exception exception) when (exception is LibGit2SharpException or IOException)
            {
                answer.TrySetException(exception);
            }
        });
        Wake();
        return answer.Task.WaitAsync(cancellationToken);
    }

    /// <summary>Asks for the commits made so far to be pushed now, without waiting for the batching windows.</summary>
    public void RequestPush()
    {
        Interlocked.Exchange(ref pushRequestedAtTicks, time.GetUtcNow().UtcTicks);
        Wake();
    }

    private void Wake()
    {
        try
        {
            wakeUp.Release();
        }
        catch (SemaphoreFullException)
        {
            // Already awake.
        }
        catch (ObjectDisposedException)
        {
            // Stopped.
        }
    }

    /// <summary>Runs until cancelled: commits what arrives, pushes in batches, retries, replays after conflicts.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(ClonePath);
        clone = LocalClone.Open(ClonePath, url, options.Branch);
        clone.Signer = options.Signer;
        await FetchAsync(cancellationToken, adoptRemote: true);
        unpushed = clone.Unpushed().Count;
        if (unpushed > 0)
        {
            // The outbox: commits a previous run made but could not push.
            oldestUnpushed = time.GetUtcNow();
            Interlocked.Exchange(ref pushRequestedAtTicks, oldestUnpushed.Value.UtcTicks);
        }

        push = new BackgroundPush(ClonePath, remote, options.Branch, pipeline);
        Log.CloneOpened(logger, options.Id, ClonePath, options.Branch, unpushed);
        status = status with { Started = true };
        Publish();
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                await CommitQueuedAsync(cancellationToken);
                while (requests.TryDequeue(out var request))
                {
                    request();
                }

                if (push.HasEnded)
                {
                    await FinishPushAsync(cancellationToken);
                }

                if (packing.CanFinish(push))
                {
                    await packing.FinishAsync(clone, push);
                    Publish();
                }

                if (!push.IsRunning && unpushed > 0 && time.GetUtcNow() >= PushDue())
                {
                    StartPush(cancellationToken);
                }

                await WaitForWorkAsync(cancellationToken);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            await PushBeforeStopAsync();
        }
    }

    /// <summary>How long a stopping worker tries to push the commits it made (a rolling update's SIGTERM).</summary>
    public static readonly TimeSpan StopPushTimeout = TimeSpan.FromSeconds(10);

    // Stopping: nothing more is committed, but what was committed is pushed if the remote takes it within
    // StopPushTimeout and is not failing anyway; whatever remains stays in the clone for the next run.
    private async Task PushBeforeStopAsync()
    {
        using var limit = new CancellationTokenSource(StopPushTimeout, time);
        try
        {
            if (push!.IsRunning)
            {
                await push.Running!.WaitAsync(limit.Token);
                await FinishPushAsync(limit.Token);
            }

            if (unpushed > 0 && nextPushAttempt <= time.GetUtcNow() && !push.IsRunning)
            {
                StartPush(limit.Token);
                await push.Running!.WaitAsync(limit.Token);
                await FinishPushAsync(limit.Token);
            }
        }
        catch (Exception exception) when (exception is OperationCanceledException or GitRemoteException or LibGit2SharpException or IOException)
        {
            // The remote is slow or away: the commits wait in the clone.
        }

        Log.Stopped(logger, options.Id, unpushed);
    }

    public void Dispose()
    {
        metrics.UntrackQueue(options.MetricsLabel);
        push?.Dispose();
        packing.Dispose();

        clone?.Dispose();
        wakeUp.Dispose();
    }

    private DateTimeOffset PushDue()
    {
        var now = time.GetUtcNow();
        if (nextPushAttempt > now)
        {
            return nextPushAttempt;
        }

        // A request covers the commits made before it, not those made after.
        var requested = Interlocked.Read(ref pushRequestedAtTicks) >= (oldestUnpushed ?? now).UtcTicks;
        if (requested || unpushed >= options.PushMaxCommits)
        {
            return now;
        }

        var quiet = lastCommit + options.PushQuietWindow;
        var latest = (oldestUnpushed ?? now) + options.PushMaxDelay;
        return quiet < latest ? quiet : latest;
    }

    // Whether the commit loop should stop so that a push can start, or an ended push or packing be finished.
    private bool BackgroundWorkDue() =>
        packing.CanFinish(push!)
        || (push!.IsRunning ? push.HasEnded : unpushed > 0 && time.GetUtcNow() >= PushDue());

    private async Task WaitForWorkAsync(CancellationToken cancellationToken)
    {
        if (!requests.IsEmpty || BackgroundWorkDue())
        {
            return;
        }

        var arrival = queue.WaitAsync(cancellationToken);
        var delay = push!.IsRunning || unpushed == 0 ? Timeout.InfiniteTimeSpan : PushDue() - time.GetUtcNow();
        if (delay == Timeout.InfiniteTimeSpan || delay > TimeSpan.Zero)
        {
            using var stopWaiting = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            var timer = Task.Delay(delay, time, stopWaiting.Token);
            Task[] background = [.. new[] { push.Running, packing.Running }.OfType<Task>()];
            await Task.WhenAny([arrival, timer, wakeUp.WaitAsync(stopWaiting.Token), .. background]);
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
            while (!BackgroundWorkDue() && TryTake(out var entry))
            {
                Commit(entry);
                Interlocked.Decrement(ref inFlight);
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
        while (TryTake(out var entry))
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
        Interlocked.Add(ref inFlight, -taken);
    }

    private void Commit(QueuedChange entry)
    {
        if (entry.Change.Takeover is { } journal)
        {
            CommitTakeover(journal);
            return;
        }

        CommitChanges(entry.Change.Resync is { } resync ? [.. resync.Select(change => new QueuedChange(change, 1))] : [entry], entry.Change.Resync is not null);
    }

    // A standby's changes after a takeover: the history since the oldest of them says which the old leader
    // committed (and pushed: this clone was just fetched); each other one is its own commit, in order.
    private void CommitTakeover(IReadOnlyList<GitChange> journal)
    {
        var since = journal.Min(change => change.Description.Timestamp) - TimeSpan.FromMinutes(1);
        var committed = CommittedChanges.Since(clone!.Repository, clone.Head, since);
        var remaining = 0;
        foreach (var change in journal)
        {
            var blob = change.Content is { } content ? clone.WriteBlob(content) : null;
            if (!committed.Contains(change, blob))
            {
                remaining++;
                CommitChanges([new QueuedChange(change, 1)], resync: false);
            }
        }

        Log.TookOver(logger, options.Id, journal.Count, journal.Count - remaining, remaining);

        // What the gap left out reaches the remote at once.
        Interlocked.Exchange(ref pushRequestedAtTicks, time.GetUtcNow().UtcTicks);
    }

    private bool TryTake(out QueuedChange entry)
    {
        Interlocked.Increment(ref inFlight);
        if (queue.TryDequeue(out entry))
        {
            return true;
        }

        Interlocked.Decrement(ref inFlight);
        return false;
    }

    // Applies the entries to the tree in order and commits what changed: one change, a [BATCH] listing each
    // change with its own operation, or a [RESYNC]. An entry that stands for folded changes takes its
    // operation from what the branch holds: created and updated is a CREATE, updated and deleted a DELETE,
    // created and deleted no change at all.
    private void CommitChanges(IReadOnlyList<QueuedChange> entries, bool resync)
    {
        var applied = new List<(ChangeDescription Description, int Changes)>();
        var tree = clone!.Tree;
        foreach (var (change, changes) in entries)
        {
            // Only a folded entry needs to know what the branch held before it.
            var existed = changes > 1 && tree.Get(change.Path) is not null;
            var changed = change.IsDeletion
                ? tree.Remove(change.Path)
                : tree.Set(change.Path, clone.WriteBlob(change.Content!));
            metrics.Event(options.MetricsLabel, changed ? "committed" : "unchanged");
            if (changed)
            {
                var operation = changes == 1 ? change.Description.Operation
                    : change.IsDeletion ? ChangeOperation.Delete
                    : existed ? ChangeOperation.Update : ChangeOperation.Create;
                applied.Add((change.Description with { Operation = operation }, changes));
            }
            else if (changes > 1)
            {
                Log.CoalescedToNothing(logger, options.Id, $"{change.Description.Object.Kind}/{change.Description.Object.Name}", changes);
                metrics.Event(options.MetricsLabel, "coalesced-to-nothing");
            }
        }

        if (applied.Count == 0)
        {
            return;
        }

        var now = time.GetUtcNow();
        var committer = new Signature(options.CommitterName, options.CommitterEmail, now);
        var commit = resync
            ? clone!.Commit(CommitMessage.Resync([.. applied.Select(change => change.Description)]), committer, committer)
            : clone!.Commit(Message(applied), Author([.. applied.Select(change => change.Description)], committer), committer);
        if (commit is null)
        {
            return;
        }

        metrics.Committed(options.MetricsLabel);
        unpushed++;
        oldestUnpushed ??= now;
        if (push!.IsRunning)
        {
            firstCommitDuringPush ??= now;
        }

        lastCommit = now;
        Publish();
    }

    private string Message(IReadOnlyList<(ChangeDescription Description, int Changes)> changes)
    {
        if (changes.Count == 1)
        {
            var (description, count) = changes[0];
            return options.MessageTemplate is { } template
                ? CommitMessage.WithCoalesced(template.Render(description), count)
                : CommitMessage.Default(description, count);
        }

        return CommitMessage.Batch(changes);
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

    // The author is the user who made the change, when the attribution webhook saw one, at the time of the
    // change (the conflict rules compare that time with the remote's commits); a field manager is a program,
    // not a person, so without a user the operator itself is the author.
    private Signature Author(IReadOnlyList<ChangeDescription> changes, Signature committer)
    {
        if (changes.Count != 1 || CommitMessageValues.User(changes[0]) is not { } user)
        {
            return changes.Count == 1 ? new Signature(committer.Name, committer.Email, changes[0].Timestamp) : committer;
        }

        // Angle brackets would end a Git identity's name or e-mail early.
        var name = user.Replace('<', ' ').Replace('>', ' ');
        var email = name.Contains('@', StringComparison.Ordinal) ? name : $"{name}@{options.UserEmailDomain}";
        return new Signature(name, email, changes[0].Timestamp);
    }

    // Commits go on while the push runs; the next push carries what they add. A push carries at most
    // push.maxCommits commits (the oldest), so pushes stay bounded however far a backlog runs ahead.
    private void StartPush(CancellationToken cancellationToken)
    {
        var commits = Math.Min(unpushed, options.PushMaxCommits);
        var commit = clone!.FirstParentAncestor(unpushed - commits);
        push!.Start(commit, commits, cancellationToken);

        // What this push leaves behind is at least as old as its start.
        firstCommitDuringPush = commits < unpushed ? time.GetUtcNow() : null;
    }

    private async Task FinishPushAsync(CancellationToken cancellationToken)
    {
        var outcome = (await push!.TakeOutcomeAsync())!;
        switch (outcome.Failure)
        {
            case null:
                Pushed(outcome);
                break;
            case GitRemoteException { Kind: GitFailureKind.NonFastForward }:
                metrics.Operation(options.MetricsLabel, "push", "conflict");
                await ReplayOnRemoteAsync(cancellationToken);

                // The replayed commits go out at once: the remote has just been read.
                Interlocked.Exchange(ref pushRequestedAtTicks, time.GetUtcNow().UtcTicks);
                break;
            case GitRemoteException exception:
                Fail(exception);
                break;
            case BrokenCircuitException:
                metrics.Operation(options.MetricsLabel, "push", "circuit-open");
                nextPushAttempt = time.GetUtcNow() + TimeSpan.FromSeconds(5);
                break;
            default:
                System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(outcome.Failure);
                break;
        }
    }

    private void Pushed(PushOutcome outcome)
    {
        clone!.MarkPushed(outcome.Commit);
        metrics.Operation(options.MetricsLabel, "push", "success");
        metrics.Pushed(options.MetricsLabel, outcome.Duration);
        Log.Pushed(logger, options.Id, outcome.Commits, (long)outcome.Duration.TotalMilliseconds);
        unpushed -= outcome.Commits;
        oldestUnpushed = unpushed > 0 ? firstCommitDuringPush ?? time.GetUtcNow() : null;
        consecutiveFailures = 0;
        status = status with { LastPushTime = time.GetUtcNow(), LastError = null };
        packing.AfterPush(clone);
        Publish();
    }

    private async Task ReplayOnRemoteAsync(CancellationToken cancellationToken)
    {
        await FetchAsync(cancellationToken, adoptRemote: false);
        var pending = clone!.Unpushed();
        if (clone.RemoteHead is { } remoteHead && pending.Count > 0)
        {
            var (reapplied, dropped) = PendingReplay.Replay(clone, pending, remoteHead);
            for (var i = 0; i < reapplied; i++)
            {
                metrics.Conflict(options.MetricsLabel, "cluster-wins");
            }

            for (var i = 0; i < dropped; i++)
            {
                metrics.Conflict(options.MetricsLabel, "git-wins");
            }

            Log.Replayed(logger, options.Id, pending.Count, dropped, reapplied);
        }

        unpushed = clone.Unpushed().Count;
        Publish();
    }

    private async Task FetchAsync(CancellationToken cancellationToken, bool adoptRemote)
    {
        try
        {
            await pipeline.ExecuteAsync(_ =>
            {
                remote.Fetch(clone!.Repository, options.Branch);
                return ValueTask.CompletedTask;
            }, cancellationToken);
            metrics.Operation(options.MetricsLabel, "fetch", "success");
            if (adoptRemote)
            {
                clone!.FastForwardToRemote();
            }
        }
        catch (GitRemoteException exception)
        {
            // Commits are still made locally; the push retries the remote later.
            Fail(exception);
        }
        catch (BrokenCircuitException)
        {
            metrics.Operation(options.MetricsLabel, "fetch", "circuit-open");
        }
    }

    private void Fail(GitRemoteException exception)
    {
        metrics.Operation(options.MetricsLabel, exception.Operation, exception.Kind.ToString().ToLowerInvariant());
        Log.RemoteFailed(logger, options.Id, exception.Message);
        consecutiveFailures++;
        var wait = exception.Kind == GitFailureKind.Transient
            ? TimeSpan.FromSeconds(Math.Min(30, Math.Pow(2, consecutiveFailures)) * (0.5 + Random.Shared.NextDouble()))
            : options.PermanentFailureRetry;
        nextPushAttempt = time.GetUtcNow() + wait;
        status = status with { LastError = exception };
        Publish();
    }

    private void Publish() => status = status with
    {
        LastCommit = clone?.HeadId?.Sha,
        PendingCommits = unpushed,
        Packing = packing.IsRunning,
        OldestPendingCommit = unpushed > 0 ? oldestUnpushed : null,
    };
}
