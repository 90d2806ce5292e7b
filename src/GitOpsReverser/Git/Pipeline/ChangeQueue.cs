namespace GitOpsReverser.Git.Pipeline;

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
    private long resyncs;
    private int inFlight;

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
        return EnqueueAsync(new GitChange(key, null, changes[0].Description, changes), cancellationToken);
    }

    /// <summary>
    /// Queues what a standby saw before it took over (<paramref name="journal"/>, oldest first): once the branch is
    /// fetched, each change the old leader did not commit (<see cref="CommittedChanges"/>) becomes its own commit, in
    /// order, with the message it would have had. Changes queued after it are committed after it.
    /// </summary>
    public ValueTask EnqueueTakeoverAsync(IReadOnlyList<GitChange> journal, CancellationToken cancellationToken) =>
        journal.Count == 0
            ? ValueTask.CompletedTask
            : EnqueueAsync(new GitChange("\0takeover", null, journal[0].Description) { Takeover = journal }, cancellationToken);


    /// <summary>Changes taken (<see cref="TryTake"/>) and not yet <see cref="Done"/>: the worker is committing them.</summary>
    public int InFlight => Volatile.Read(ref inFlight);

    /// <summary>Dequeues an entry and counts it in flight until <see cref="Done"/>, so that the queue never looks emptier than it is.</summary>
    public bool TryTake(out QueuedChange entry)
    {
        Interlocked.Increment(ref inFlight);
        if (TryDequeue(out entry))
        {
            return true;
        }

        Interlocked.Decrement(ref inFlight);
        return false;
    }

    /// <summary><paramref name="taken"/> entries taken are committed (or came to nothing).</summary>
    public void Done(int taken) => Interlocked.Add(ref inFlight, -taken);

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
