namespace GitOpsReverser.Git;

/// <summary>
/// The RepoWorker's input: at most one pending change per path (a newer change to a path replaces
/// the older one in its place, so different paths keep their order), bounded by the number of
/// distinct paths. When it is full, producers wait: memory is bounded by objects, never by events.
/// </summary>
internal sealed class ChangeQueue(int capacity)
{
    private readonly Lock gate = new();
    private readonly LinkedList<string> order = new();
    private readonly Dictionary<string, (LinkedListNode<string> Node, GitChange Change)> pending = new(StringComparer.Ordinal);
    private TaskCompletionSource changed = New();

    public int Count
    {
        get
        {
            lock (gate)
            {
                return pending.Count;
            }
        }
    }

    /// <summary>How many changes were folded into a newer change to the same path.</summary>
    public long Coalesced { get; private set; }

    public async ValueTask EnqueueAsync(GitChange change, CancellationToken cancellationToken)
    {
        while (true)
        {
            Task wait;
            lock (gate)
            {
                if (pending.TryGetValue(change.Path, out var existing))
                {
                    pending[change.Path] = (existing.Node, change);
                    Coalesced++;
                    Signal();
                    return;
                }

                if (pending.Count < capacity)
                {
                    pending[change.Path] = (order.AddLast(change.Path), change);
                    Signal();
                    return;
                }

                wait = changed.Task;
            }

            await wait.WaitAsync(cancellationToken);
        }
    }

    public bool TryDequeue(out GitChange change)
    {
        lock (gate)
        {
            if (order.First is not { } first)
            {
                change = null!;
                return false;
            }

            order.RemoveFirst();
            change = pending[first.Value].Change;
            pending.Remove(first.Value);
            Signal();
            return true;
        }
    }

    /// <summary>Completes when the queue changes (a change arrives or space frees up).</summary>
    public Task WaitAsync(CancellationToken cancellationToken)
    {
        lock (gate)
        {
            return pending.Count > 0 ? Task.CompletedTask : changed.Task.WaitAsync(cancellationToken);
        }
    }

    private void Signal()
    {
        var previous = changed;
        changed = New();
        previous.TrySetResult();
    }

    private static TaskCompletionSource New() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
