using System.Diagnostics;
using Microsoft.Extensions.Logging;

namespace GitOpsReverser.Git;

/// <summary>
/// When a worker packs its clone, and how: after a successful push, once
/// <see cref="RepoWorkerOptions.CompactAfterCommits"/> commits or
/// <see cref="RepoWorkerOptions.CompactAfterLooseBytes"/> bytes of loose objects were written since the
/// last packing. The packing of loose objects (<see cref="LoosePacking"/>) runs on a thread of its own,
/// beside commits and pushes; the rare one that rewrites every pack (<see cref="LocalClone.Compact"/>)
/// holds the worker, as commits and pushes may read the packs it deletes.
/// </summary>
internal sealed class ClonePacking(RepoWorkerOptions options, GitMetrics metrics, ILogger logger) : IDisposable
{
    private (LoosePacking Job, Task Run, Stopwatch Clock)? running;

    /// <summary>Whether a packing runs beside the worker (until <see cref="FinishAsync"/>).</summary>
    public bool IsRunning => running is not null;

    /// <summary>Whether the running packing has ended and waits for <see cref="FinishAsync"/>.</summary>
    public bool HasEnded => running is { Run.IsCompleted: true };

    /// <summary>The running packing, to wait for; null while none runs.</summary>
    public Task? Running => running?.Run;

    /// <summary>Called after a successful push, while no push runs: starts a packing when one is due.</summary>
    public void AfterPush(LocalClone clone, BackgroundPush push)
    {
        if (running is not null
            || (clone.CommitsSinceCompaction < options.CompactAfterCommits && clone.LooseBytesSinceCompaction < options.CompactAfterLooseBytes))
        {
            return;
        }

        var clock = Stopwatch.StartNew();
        if (clone.NextPackingIsFull)
        {
            var commits = clone.CommitsSinceCompaction;
            clone.Compact();
            Packed(push, commits, clock);
            return;
        }

        var job = clone.StartLoosePacking();
        running = (job, Task.Run(job.Run, CancellationToken.None), clock);
    }

    /// <summary>After the packing ended: the clone and the push learn the new pack. A failed packing throws, failing the worker.</summary>
    public async Task FinishAsync(LocalClone clone, BackgroundPush push)
    {
        var (job, run, clock) = running!.Value;
        running = null;

        // A failed packing leaves its loose objects where they were; the restarted worker packs them.
        await run;
        clone.FinishLoosePacking(job);
        Packed(push, job.Commits, clock);
    }

    public void Dispose()
    {
        try
        {
            running?.Run.Wait();
        }
        catch (AggregateException)
        {
            // Stopping: the loose objects a failed packing left are packed by the next run.
        }
    }

    private void Packed(BackgroundPush push, int commits, Stopwatch clock)
    {
        push.Reopen();
        metrics.Operation(options.Id, "compact", "success");
        Log.Packed(logger, options.Id, commits, clock.ElapsedMilliseconds);
    }
}
