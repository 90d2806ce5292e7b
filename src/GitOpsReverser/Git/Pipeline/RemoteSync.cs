using GitOpsReverser.Git.Clone;
using GitOpsReverser.Git.Transport;
using Microsoft.Extensions.Logging;
using Polly;
using Polly.CircuitBreaker;

namespace GitOpsReverser.Git.Pipeline;

/// <summary>
/// A worker's side of its remote: fetching, pushing in the background what <see cref="PushSchedule"/> says is due,
/// replaying the unpushed commits on the remote's head when the branch moved (last writer wins), and telling the
/// schedule of each failure so that it backs off. Called from the worker's loop; only the push itself runs
/// beside it (<see cref="BackgroundPush"/>).
/// </summary>
internal sealed class RemoteSync(
    LocalClone clone, string clonePath, GitRemote remote, ResiliencePipeline pipeline, PushSchedule schedule,
    RepoWorkerOptions options, GitMetrics metrics, TimeProvider time, ILogger logger) : IDisposable
{
    public BackgroundPush Push { get; } = new(clonePath, remote, options.Branch, pipeline);

    private string? pushBase;

    /// <summary>When the last push succeeded.</summary>
    public DateTimeOffset? LastPushTime { get; private set; }

    /// <summary>The last remote failure, until a push succeeds.</summary>
    public GitRemoteException? LastError { get; private set; }

    /// <summary>
    /// Starts pushing the oldest unpushed commits. Commits go on while the push runs; the next push carries what
    /// they add. A push carries at most push.maxCommits commits, so pushes stay bounded however far a backlog runs ahead.
    /// </summary>
    public void StartPush(CancellationToken cancellationToken)
    {
        // The remote's head as this push starts from it (libgit2 moves the remote-tracking ref when the push succeeds).
        pushBase = clone.RemoteHead?.Sha;
        var commits = schedule.Start();
        var commit = clone.FirstParentAncestor(schedule.Unpushed - commits);
        Push.Start(commit, commits, cancellationToken);
    }

    /// <summary>Takes the ended push's outcome; true when it reached the remote.</summary>
    public async Task<bool> FinishPushAsync(CancellationToken cancellationToken)
    {
        var outcome = (await Push.TakeOutcomeAsync())!;
        switch (outcome.Failure)
        {
            case null:
                clone.MarkPushed(outcome.Commit);
                options.Pushed?.Invoke(pushBase, outcome.Commit.Sha);
                metrics.Operation(options.MetricsLabel, "push", "success");
                metrics.Pushed(options.MetricsLabel, outcome.Duration);
                Log.Pushed(logger, options.Id, outcome.Commits, (long)outcome.Duration.TotalMilliseconds);
                schedule.Pushed(outcome.Commits);
                (LastPushTime, LastError) = (time.GetUtcNow(), null);
                return true;
            case GitRemoteException { Kind: GitFailureKind.NonFastForward }:
                metrics.Operation(options.MetricsLabel, "push", "conflict");

                // The replayed commits go out at once: the remote has just been read.
                await ReplayOnRemoteAsync(cancellationToken);
                return false;
            case GitRemoteException exception:
                Fail(exception);
                return false;
            case BrokenCircuitException:
                metrics.Operation(options.MetricsLabel, "push", "circuit-open");
                schedule.CircuitOpen();
                return false;
            default:
                System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(outcome.Failure);
                return false;
        }
    }

    /// <summary>Fetches the branch; with <paramref name="adoptRemote"/> the clone moves to it when it holds nothing of its own.</summary>
    public async Task FetchAsync(CancellationToken cancellationToken, bool adoptRemote)
    {
        try
        {
            await pipeline.ExecuteAsync(_ =>
            {
                remote.Fetch(clone.Repository, options.Branch);
                return ValueTask.CompletedTask;
            }, cancellationToken);
            metrics.Operation(options.MetricsLabel, "fetch", "success");
            if (adoptRemote)
            {
                clone.FastForwardToRemote();
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

    /// <summary>How long a stopping worker tries to push the commits it made (a rolling update's SIGTERM).</summary>
    public static readonly TimeSpan StopPushTimeout = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Stopping: nothing more is committed, but what was committed is pushed if the remote takes it within
    /// <see cref="StopPushTimeout"/> and is not failing anyway; whatever remains stays in the clone for the next run.
    /// </summary>
    public async Task PushBeforeStopAsync()
    {
        using var limit = new CancellationTokenSource(StopPushTimeout, time);
        try
        {
            if (Push.IsRunning)
            {
                await Push.Running!.WaitAsync(limit.Token);
                await FinishPushAsync(limit.Token);
            }

            if (schedule.MayPushWhileStopping && !Push.IsRunning)
            {
                StartPush(limit.Token);
                await Push.Running!.WaitAsync(limit.Token);
                await FinishPushAsync(limit.Token);
            }
        }
        catch (Exception exception) when (exception is OperationCanceledException or GitRemoteException || LocalGitFailure.Is(exception))
        {
            // The remote is slow or away: the commits wait in the clone.
        }
    }

    public void Dispose() => Push.Dispose();

    private async Task ReplayOnRemoteAsync(CancellationToken cancellationToken)
    {
        await FetchAsync(cancellationToken, adoptRemote: false);
        var pending = clone.Unpushed();
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

        schedule.Replayed(clone.Unpushed().Count);
    }

    private void Fail(GitRemoteException exception)
    {
        metrics.Operation(options.MetricsLabel, exception.Operation, exception.Kind.ToString().ToLowerInvariant());
        Log.RemoteFailed(logger, options.Id, exception.Message);
        schedule.Failed(transient: exception.Kind == GitFailureKind.Transient);
        LastError = exception;
    }
}
