using System.Diagnostics;
using GitOpsReverser.Git.Pipeline;
using Microsoft.Extensions.Logging;

namespace GitOpsReverser.Git.Clone;

/// <summary>
/// When a worker packs its clone: after a successful push, once
/// <see cref="RepoWorkerOptions.CompactAfterCommits"/> commits or
/// <see cref="RepoWorkerOptions.CompactAfterLooseBytes"/> bytes of loose objects were written since the
/// last packing. The packing (<see cref="ClonePack"/>) runs on a thread of its own, beside commits and
/// pushes; it is finished on the worker's thread while no push runs, as it replaces what handles read.
/// </summary>
internal sealed class PackingSchedule(RepoWorkerOptions options, GitMetrics metrics, ILogger logger) : IDisposable
{
    private (ClonePack Job, Task Run, Stopwatch Clock)? running;

    /// <summary>Whether a packing runs beside the worker (until <see cref="FinishAsync"/>).</summary>
    public bool IsRunning => running is not null;

    /// <summary>Whether the running packing has ended and can be finished: it has, and no push runs.</summary>
    public bool CanFinish(BackgroundPush push) => running is { Run.IsCompleted: true } && !push.IsRunning;

    /// <summary>The running packing, to wait for; null while none runs.</summary>
    public Task? Running => running?.Run;

    /// <summary>Called after a successful push, while no push runs: starts a packing when one is due.</summary>
    public void AfterPush(LocalClone clone)
    {
        if (running is not null
            || (clone.CommitsSinceCompaction < options.CompactAfterCommits && clone.LooseBytesSinceCompaction < options.CompactAfterLooseBytes))
        {
            return;
        }

        var job = clone.StartPacking();
        running = (job, Task.Run(job.Run, CancellationToken.None), Stopwatch.StartNew());
    }

    /// <summary>After the packing ended, while no push runs: the clone and the push learn the new pack. A failed packing throws, failing the worker.</summary>
    public async Task FinishAsync(LocalClone clone, BackgroundPush push)
    {
        var (job, run, clock) = running!.Value;
        running = null;

        // A failed packing leaves its loose objects where they were; the restarted worker packs them.
        await run;
        push.Reopen();
        clone.FinishPacking(job);
        metrics.Operation(options.MetricsLabel, "compact", "success");
        Log.Packed(logger, options.Id, job.Commits, clock.ElapsedMilliseconds);
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
}
