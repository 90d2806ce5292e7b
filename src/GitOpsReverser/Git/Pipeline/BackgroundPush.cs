using System.Diagnostics;
using GitOpsReverser.Git.Transport;
using LibGit2Sharp;
using Polly;

namespace GitOpsReverser.Git.Pipeline;

/// <summary>
/// Pushes one commit of the clone from a second handle on it, on a thread-pool thread, so the worker
/// goes on committing while the push runs. Objects are immutable and the push reads only the commit
/// it was given and its ancestors, so it never sees the commits made meanwhile.
/// Everything that rewrites the clone (conflict replays, fetches, finishing a packing) waits until the push
/// has ended and <see cref="TakeOutcomeAsync"/> has been called; a packing itself runs beside it, as it
/// deletes a loose file only once the pack holding it is complete, and libgit2 rescans the packs on a miss.
/// </summary>
internal sealed class BackgroundPush(string clonePath, GitRemote remote, string branch, ResiliencePipeline pipeline) : IDisposable
{
    private Repository? repository;
    private bool stale;
    private Task<PushOutcome>? running;

    /// <summary>Whether a push was started and its outcome not yet taken.</summary>
    public bool IsRunning => running is not null;

    /// <summary>Whether the running push has ended and waits for <see cref="TakeOutcomeAsync"/>.</summary>
    public bool HasEnded => running is { IsCompleted: true };

    /// <summary>The running push, to wait for; null while none runs.</summary>
    public Task? Running => running;

    /// <summary>Starts pushing <paramref name="commit"/>, the head after <paramref name="commits"/> unpushed commits.</summary>
    public void Start(ObjectId commit, int commits, CancellationToken cancellationToken)
    {
        if (running is not null)
        {
            throw new InvalidOperationException("a push is already running");
        }

        if (stale)
        {
            repository?.Dispose();
            repository = null;
            stale = false;
        }

        repository ??= new Repository(clonePath);
        var handle = repository;
        running = Task.Run(async () =>
        {
            var clock = Stopwatch.StartNew();
            try
            {
                await pipeline.ExecuteAsync(_ =>
                {
                    remote.Push(handle, commit, branch);
                    return ValueTask.CompletedTask;
                }, cancellationToken);
                return new PushOutcome(commit, commits, clock.Elapsed, null);
            }
            catch (Exception exception) when (exception is not OperationCanceledException)
            {
                return new PushOutcome(commit, commits, clock.Elapsed, exception);
            }
        }, CancellationToken.None);
    }

    /// <summary>Waits for the running push and returns how it ended; null when none runs.</summary>
    public async Task<PushOutcome?> TakeOutcomeAsync()
    {
        if (running is not { } push)
        {
            return null;
        }

        try
        {
            return await push;
        }
        finally
        {
            running = null;
        }
    }

    /// <summary>Has the next push open the clone afresh, for example after a packing replaced loose objects with a pack.</summary>
    public void Reopen() => stale = true;

    /// <summary>How long <see cref="Dispose"/> waits for a running push before leaving it behind.</summary>
    public static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(30);

    public void Dispose()
    {
        try
        {
            if (running?.Wait(StopTimeout) == false)
            {
                // A push hanging on the network: its handle is left to it rather than freed under it,
                // and its commits are pushed again by the next run.
                return;
            }
        }
        catch (AggregateException)
        {
            // Stopping: a cancelled push leaves its commits for the next run.
        }

        repository?.Dispose();
    }
}
