using GitOpsReverser.Git;

namespace GitOpsReverser.Capture;

/// <summary>
/// Entering the capture and queueing: every wait ends when the capture stops, and a change the repository's queue
/// has no room for within <see cref="StallTimeout"/> is deferred to a resync, so that one repository never holds the
/// reflectors it shares with others.
/// </summary>
internal sealed partial class RepoCapture
{
    // The caller's token, cancelled also when this capture stops.
    private CancellationTokenSource Linked(CancellationToken cancellationToken) =>
        CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, stop.Token);

    // Takes the gate; false (without it) when the capture stopped, so nobody waits on a dead repository.
    private async Task<bool> EnterAsync(CancellationToken linked, CancellationToken caller)
    {
        try
        {
            await gate.WaitAsync(linked);
            return true;
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested && !caller.IsCancellationRequested)
        {
            return false;
        }
    }

    // Queues a change, waiting at most StallTimeout for room; past that (the worker makes no room: a hanging
    // remote, a clone stuck on I/O) the change is deferred, so the reflectors this repository shares go on
    // for every other one, and the repository resyncs once its queue is empty again.
    private async Task<string> EnqueueAsync(GitChange change, CancellationToken linked, CancellationToken caller)
    {
        if (overflowed)
        {
            RequestResyncWhenDrained();
            return CaptureOutcome.Deferred;
        }

        using var stall = new CancellationTokenSource(StallTimeout, time);
        using var waiting = CancellationTokenSource.CreateLinkedTokenSource(linked, stall.Token);
        try
        {
            await Worker.EnqueueAsync(change, waiting.Token);
            return CaptureOutcome.Committed;
        }
        catch (OperationCanceledException) when (!caller.IsCancellationRequested)
        {
            if (!stop.IsCancellationRequested)
            {
                overflowed = true;
                stalled?.Invoke();
            }

            return CaptureOutcome.Deferred;
        }
    }

    private void RequestResyncWhenDrained()
    {
        if (!resyncAsked && NeedsResync)
        {
            resyncAsked = true;
            resyncRequested?.Invoke();
        }
    }
}
