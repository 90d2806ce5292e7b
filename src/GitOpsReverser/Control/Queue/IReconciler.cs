namespace GitOpsReverser.Control.Queue;

/// <summary>
/// Brings the world in line with one object, named by its key, as controller-runtime's <c>reconcile.Reconciler</c>
/// does: it reads the object's current state itself (gone is a state too), is safe to run again for the same key,
/// and says when to come back. An exception brings the key back after its backoff.
/// </summary>
internal interface IReconciler<in TKey>
{
    Task<ReconcileResult> ReconcileAsync(TKey key, CancellationToken cancellationToken);
}

/// <summary>What a reconcile asks for: nothing more (<see cref="Done"/>), or another reconcile after a while.</summary>
internal readonly record struct ReconcileResult(TimeSpan? RequeueAfter)
{
    public static ReconcileResult Done => new(null);

    public static ReconcileResult After(TimeSpan delay) => new(delay);
}
