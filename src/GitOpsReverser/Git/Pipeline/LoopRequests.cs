using System.Collections.Concurrent;

namespace GitOpsReverser.Git.Pipeline;

/// <summary>
/// Work other threads hand to a worker's loop (reads of the branch) and the signal that wakes it: run between commits, so that each sees every
/// change queued before it was asked and no handle on the clone is shared. A failure of the clone is the answer's;
/// anything else is a bug and stops the loop.
/// </summary>
internal sealed class LoopRequests : IDisposable
{
    private readonly ConcurrentQueue<Action> pending = new();
    private readonly SemaphoreSlim wakeUp = new(0, 1);

    public bool IsEmpty => pending.IsEmpty;

    /// <summary>Wakes the loop if it waits (<see cref="WaitAsync"/>); a loop already awake stays so once.</summary>
    public void Wake()
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

    /// <summary>Completes when <see cref="Wake"/> is called (or was, since the last wait).</summary>
    public Task WaitAsync(CancellationToken cancellationToken) => wakeUp.WaitAsync(cancellationToken);

    public Task<T> RunAsync<T>(Func<T> work, CancellationToken cancellationToken)
    {
        var answer = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
        pending.Enqueue(() =>
        {
            try
            {
                answer.TrySetResult(work());
            }
            catch (Exception exception) when (LocalGitFailure.Is(exception))
            {
                answer.TrySetException(exception);
            }
        });
        Wake();
        return answer.Task.WaitAsync(cancellationToken);
    }

    public void Dispose() => wakeUp.Dispose();

    /// <summary>Runs what was asked so far; called from the loop.</summary>
    public void RunPending()
    {
        while (pending.TryDequeue(out var request))
        {
            request();
        }
    }
}
