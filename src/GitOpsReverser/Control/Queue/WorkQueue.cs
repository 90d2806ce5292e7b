namespace GitOpsReverser.Control.Queue;

/// <summary>
/// The keys of objects that need reconciling, in the shape of client-go's rate-limited work queue: a key added
/// while it waits is one item (repeated changes coalesce); a key added while it is being reconciled waits until
/// that reconcile is done, so no key is ever reconciled twice at once; a key whose reconcile failed comes back
/// after a per-key exponential backoff (<see cref="AddRateLimited"/>) until it succeeds (<see cref="Forget"/>).
/// <paramref name="ready"/> is called whenever a key becomes ready; <see cref="DrainAsync"/> reconciles what is.
/// </summary>
internal sealed class WorkQueue<TKey>(TimeProvider time, Action ready, TimeSpan? baseDelay = null, TimeSpan? maxDelay = null)
    where TKey : notnull
{
    private readonly TimeSpan baseDelay = baseDelay ?? TimeSpan.FromMilliseconds(200);
    private readonly TimeSpan maxDelay = maxDelay ?? TimeSpan.FromMinutes(5);
    private readonly object gate = new();
    private readonly Queue<TKey> queue = new();
    private readonly HashSet<TKey> dirty = [];
    private readonly HashSet<TKey> processing = [];
    private readonly Dictionary<TKey, int> failures = [];
    private readonly Dictionary<TKey, (DateTimeOffset Due, ITimer Timer)> waiting = [];

    /// <summary>Keys ready to be reconciled.</summary>
    public int Count
    {
        get
        {
            lock (gate)
            {
                return queue.Count;
            }
        }
    }

    public void Add(TKey key)
    {
        lock (gate)
        {
            if (!dirty.Add(key) || processing.Contains(key))
            {
                return;
            }

            queue.Enqueue(key);
        }

        ready();
    }

    /// <summary>Adds <paramref name="key"/> once <paramref name="delay"/> has passed; an earlier due time already set stays.</summary>
    public void AddAfter(TKey key, TimeSpan delay)
    {
        if (delay <= TimeSpan.Zero)
        {
            Add(key);
            return;
        }

        lock (gate)
        {
            var due = time.GetUtcNow() + delay;
            if (waiting.TryGetValue(key, out var existing))
            {
                if (existing.Due <= due)
                {
                    return;
                }

                existing.Timer.Dispose();
            }

            waiting[key] = (due, time.CreateTimer(_ =>
            {
                lock (gate)
                {
                    if (!waiting.TryGetValue(key, out var current) || current.Due != due)
                    {
                        return;
                    }

                    waiting.Remove(key);
                    current.Timer.Dispose();
                }

                Add(key);
            }, null, delay, Timeout.InfiniteTimeSpan));
        }
    }

    /// <summary>Adds <paramref name="key"/> after its backoff: the base delay, doubled with each failure since it last succeeded.</summary>
    public void AddRateLimited(TKey key)
    {
        TimeSpan delay;
        lock (gate)
        {
            var count = failures.GetValueOrDefault(key);
            failures[key] = count + 1;
            delay = TimeSpan.FromTicks((long)Math.Min(maxDelay.Ticks, baseDelay.Ticks * Math.Pow(2, Math.Min(count, 30))));
        }

        AddAfter(key, delay);
    }

    /// <summary>How many times in a row the reconcile of <paramref name="key"/> failed.</summary>
    public int Failures(TKey key)
    {
        lock (gate)
        {
            return failures.GetValueOrDefault(key);
        }
    }

    /// <summary>The reconcile of <paramref name="key"/> succeeded: its backoff starts afresh.</summary>
    public void Forget(TKey key)
    {
        lock (gate)
        {
            failures.Remove(key);
        }
    }

    public bool TryTake(out TKey key)
    {
        lock (gate)
        {
            if (!queue.TryDequeue(out key!))
            {
                return false;
            }

            dirty.Remove(key);
            processing.Add(key);
            return true;
        }
    }

    /// <summary>The reconcile of <paramref name="key"/> is over; if it was added meanwhile, it is ready again.</summary>
    public void Done(TKey key)
    {
        lock (gate)
        {
            processing.Remove(key);
            if (!dirty.Contains(key))
            {
                return;
            }

            queue.Enqueue(key);
        }

        ready();
    }

    /// <summary>
    /// Reconciles every ready key, one at a time: a result's <see cref="ReconcileResult.RequeueAfter"/> brings the key
    /// back then; an exception (other than the caller's cancellation) is reported and brings it back after its backoff.
    /// </summary>
    public async Task<int> DrainAsync(IReconciler<TKey> reconciler, Action<TKey, Exception> failed, CancellationToken cancellationToken)
    {
        var reconciled = 0;
        while (TryTake(out var key))
        {
            try
            {
                var result = await reconciler.ReconcileAsync(key, cancellationToken);
                Forget(key);
                if (result.RequeueAfter is { } after)
                {
                    AddAfter(key, after);
                }
            }
            catch (Exception exception) when (exception is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                failed(key, exception);
                AddRateLimited(key);
            }
            finally
            {
                Done(key);
                reconciled++;
            }
        }

        return reconciled;
    }
}
