using GitOpsReverser.Control.Queue;
using GitOpsReverser.Kube;
using GitOpsReverser.Specs;

namespace GitOpsReverser.Control;

/// <summary>The work queues: which keys a change puts on them, and the reconcile of one key of each kind.</summary>
internal sealed partial class RuleController
{
    // A store's key is namespace/name (name alone for a cluster-scoped object); null: its first list is complete.
    private void Queue(WorkQueue<ResourceKey> queue, string kind, string? storeKey)
    {
        if (storeKey is null)
        {
            Trigger();
            return;
        }

        var parts = storeKey.Split('/', 2);
        queue.Add(parts.Length == 2 ? new ResourceKey(kind, parts[0], parts[1]) : new ResourceKey(kind, null, parts[0]));
    }

    private static void QueueAll(WorkQueue<ResourceKey> queue, string kind, ReflectedObjects store)
    {
        foreach (var obj in store.Objects)
        {
            queue.Add(SpecReader.KeyOf(kind, obj));
        }
    }

    private static string StoreKey(ResourceKey key) => key.Namespace is null ? key.Name : $"{key.Namespace}/{key.Name}";

    // Rules in a stable order (WatchRules, then ClusterWatchRules, each by namespace and name), whatever order they were reconciled in.
    private IEnumerable<ResolvedRule> Active() =>
        activeRules.OrderBy(pair => pair.Key.Kind != SpecReader.WatchRuleKind)
            .ThenBy(pair => pair.Key.Namespace, StringComparer.Ordinal)
            .ThenBy(pair => pair.Key.Name, StringComparer.Ordinal)
            .Select(pair => pair.Value);

    private async Task<ReconcileResult> ReconcileRepoAsync(ResourceKey key, CancellationToken cancellationToken)
    {
        var status = await captures.ReconcileAsync(key, repoStore.TryGet(StoreKey(key), out var obj) ? obj : null, cancellationToken);
        if (status is null)
        {
            statuses.Remove(key);
        }
        else
        {
            statuses[key] = status;
        }

        Count(key, success: true);

        // The rules that name this GitRepoConfig resolve again: its capture may be new, or gone.
        foreach (var (kind, store) in new[] { (SpecReader.WatchRuleKind, ruleStore), (SpecReader.ClusterWatchRuleKind, clusterRuleStore) })
        {
            foreach (var rule in store.Objects.Where(rule => SpecReader.RepoOf(kind, rule) == key))
            {
                ruleQueue.Add(SpecReader.KeyOf(kind, rule));
            }
        }

        return ReconcileResult.Done;
    }

    // What every rule of one drain resolves against (the GitRepoConfigs are listed once, not per rule).
    private KeyReconciler RuleReconciler()
    {
        var inputs = new WatchRuleReconciler.Inputs(
            repoStore.Objects,
            repo => captures.TryGet(repo, out var capture) ? capture : null,
            served.Current, SelectedNamespaces,
            captured.Forbidden)
        { Access = access };
        return new KeyReconciler((key, cancellationToken) => ReconcileRuleAsync(key, inputs, cancellationToken));
    }

    private async Task<ReconcileResult> ReconcileRuleAsync(ResourceKey key, WatchRuleReconciler.Inputs inputs, CancellationToken cancellationToken)
    {
        var store = key.Kind == SpecReader.WatchRuleKind ? ruleStore : clusterRuleStore;
        if (!store.TryGet(StoreKey(key), out var obj))
        {
            activeRules.Remove(key);
            statuses.Remove(key);
            Count(key, success: true);
            return ReconcileResult.Done;
        }

        var (rule, status) = await ruleReconciler.ReconcileAsync(key.Kind, obj, inputs, cancellationToken);
        if (rule is null)
        {
            activeRules.Remove(key);
        }
        else
        {
            activeRules[key] = rule;
        }

        statuses[key] = status;
        Count(key, success: true);
        return ReconcileResult.Done;
    }

    private void Failed(ResourceKey key, Exception exception)
    {
        Log.ReconcileObjectFailed(logger, key.ToString(), exception);
        Count(key, success: false);
    }

    // Only the leader reports: a standby reconciles what it watches, for itself.
    private void Count(ResourceKey key, bool success)
    {
        if (!Role.Standby)
        {
            controlMetrics?.Reconciled(key.Kind, success);
        }
    }

    private sealed class KeyReconciler(Func<ResourceKey, CancellationToken, Task<ReconcileResult>> reconcile) : IReconciler<ResourceKey>
    {
        public Task<ReconcileResult> ReconcileAsync(ResourceKey key, CancellationToken cancellationToken) => reconcile(key, cancellationToken);
    }
}
