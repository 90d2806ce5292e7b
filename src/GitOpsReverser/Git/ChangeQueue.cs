namespace GitOpsReverser.Git;

/// <summary>
/// The RepoWorker's input, in arrival order: every change is its own entry, so every change becomes its
/// own commit, until the entries hold <c>maxBytes</c>. Past that bound a change to a path that already
/// waits is folded into that path's latest entry (it then stands for more than one change, and its
/// commit says how many); a change to any other path waits until the worker has taken enough. Memory
/// stays bounded by the byte bound plus one entry per object, never by the number of events.
/// </summary>
internal sealed class ChangeQueue(long maxBytes, Action? coalesced = null)
{
    private readonly Lock gate = new();
    private readonly LinkedList<QueuedChange> order = new();
    private readonly Dictionary<string, LinkedListNode<QueuedChange>> latestByPath = new(StringComparer.Ordinal);
    private TaskCompletionSource changed = New();
    private long bytes;

    /// <summary>Entries waiting.</summary>
    public int Count
    {
        get
        {
            lock (gate)
            {
                return order.Count;
            }
        }
    }

    /// <summary>What the waiting entries hold, by <see cref="QueuedChange.Bytes"/>.</summary>
    public long Bytes => Interlocked.Read(ref bytes);

    /// <summary>The bound past which changes to one path are folded together.</summary>
    public long MaxBytes => maxBytes;

    private long coalescedChanges;

    /// <summary>How many changes were folded into an earlier entry for the same path.</summary>
    public long Coalesced => Interlocked.Read(ref coalescedChanges);

    public async ValueTask EnqueueAsync(GitChange change, CancellationToken cancellationToken)
    {
        var entry = new QueuedChange(change, 1);
        while (true)
        {
            Task wait;
            lock (gate)
            {
                if (order.Count == 0 || bytes + entry.Bytes <= maxBytes)
                {
                    var node = order.AddLast(entry);
                    latestByPath[change.Path] = node;
                    Interlocked.Add(ref bytes, entry.Bytes);
                    Signal();
                    return;
                }

                if (!change.IsGroup && latestByPath.TryGetValue(change.Path, out var latest) && !latest.Value.Change.IsGroup)
                {
                    var folded = new QueuedChange(change, latest.Value.Changes + 1);
                    Interlocked.Add(ref bytes, folded.Bytes - latest.Value.Bytes);
                    latest.Value = folded;
                    Interlocked.Increment(ref coalescedChanges);
                    coalesced?.Invoke();
                    Signal();
                    return;
                }

                wait = changed.Task;
            }

            await wait.WaitAsync(cancellationToken);
        }
    }

    public bool TryDequeue(out QueuedChange entry)
    {
        lock (gate)
        {
            if (order.First is not { } first)
            {
                entry = null!;
                return false;
            }

            order.RemoveFirst();
            entry = first.Value;
            if (latestByPath.TryGetValue(entry.Change.Path, out var latest) && latest == first)
            {
                latestByPath.Remove(entry.Change.Path);
            }

            Interlocked.Add(ref bytes, -entry.Bytes);
            Signal();
            return true;
        }
    }

    /// <summary>Completes when the queue changes (a change arrives or space frees up).</summary>
    public Task WaitAsync(CancellationToken cancellationToken)
    {
        lock (gate)
        {
            return order.Count > 0 ? Task.CompletedTask : changed.Task.WaitAsync(cancellationToken);
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
