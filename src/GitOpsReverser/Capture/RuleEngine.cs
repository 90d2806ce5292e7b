using System.Text.Json.Nodes;
using GitOpsReverser.Kube;
using GitOpsReverser.Manifests;

namespace GitOpsReverser.Capture;

/// <summary>
/// Routes every reflector's events to the repositories whose rules capture them. For each repository,
/// the first of its rules (in name order) whose namespaces include the object's decides: the object is
/// captured with that rule's settings unless <see cref="CaptureFilter"/> leaves it out, in which case a
/// file it had goes. A
/// namespace no rule of a repository covers is not followed by it: files there stay as they are.
/// </summary>
internal sealed class RuleEngine(ReflectedObjects namespaces, WatchMetrics metrics, Microsoft.Extensions.Logging.ILogger logger)
{
    // Per resource, the rules grouped by repository (in rule order), built once per publish, not per event.
    private volatile IReadOnlyDictionary<WatchedResource, IReadOnlyList<IGrouping<RepoCapture, ActiveRule>>> routes =
        new Dictionary<WatchedResource, IReadOnlyList<IGrouping<RepoCapture, ActiveRule>>>();

    /// <summary>Replaces the rules; events handled from now on use the new ones.</summary>
    public void Publish(IEnumerable<ActiveRule> active) =>
        routes = active.GroupBy(rule => rule.Resource).ToDictionary(
            byResource => byResource.Key,
            byResource => (IReadOnlyList<IGrouping<RepoCapture, ActiveRule>>)[.. byResource.GroupBy(rule => rule.Capture)]);

    /// <summary>Stops routing to <paramref name="capture"/> (before it is disposed).</summary>
    public void Remove(RepoCapture capture) =>
        routes = routes.ToDictionary(pair => pair.Key, pair => (IReadOnlyList<IGrouping<RepoCapture, ActiveRule>>)[.. pair.Value.Where(group => group.Key != capture)]);

    /// <summary>The reflector handler for <paramref name="resource"/>.</summary>
    public IReflectorHandler HandlerFor(WatchedResource resource) => new Handler(this, resource);

    private async ValueTask HandleAsync(WatchedResource resource, ReflectorEvent change, CancellationToken cancellationToken)
    {
        if (!routes.TryGetValue(resource, out var active))
        {
            return;
        }

        try
        {
            await RouteAsync(resource, change, active, cancellationToken);
        }
        catch (Exception exception) when (exception is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // One object that cannot be written must not stop the watch of every other.
            Log.EventFailed(logger, resource.ToString(), exception);
            metrics.Processed(resource.Kind, CaptureOutcome.Error);
        }
    }

    private async Task RouteAsync(WatchedResource resource, ReflectorEvent change, IReadOnlyList<IGrouping<RepoCapture, ActiveRule>> active, CancellationToken cancellationToken)
    {
        switch (change)
        {
            case ReflectorEvent.Upserted upserted:
                metrics.Received(resource.Kind);
                await UpsertAsync(resource, upserted.Object, active, cancellationToken);
                break;
            case ReflectorEvent.Deleted deleted:
                metrics.Received(resource.Kind);
                await DeleteAsync(resource, deleted, active, cancellationToken);
                break;
            case ReflectorEvent.Synced synced:
                foreach (var group in active)
                {
                    await group.Key.ListedAsync(resource, synced.Ticket, cancellationToken);
                }

                break;
        }
    }

    private async Task UpsertAsync(WatchedResource resource, MappingNode obj, IReadOnlyList<IGrouping<RepoCapture, ActiveRule>> active, CancellationToken cancellationToken)
    {
        var metadata = obj.GetMapping("metadata");
        var ns = metadata?.GetString("namespace");
        var namespaceLabels = ns is not null && namespaces.TryGet(ns, out var found) ? ReflectedObjects.LabelsOf(found) : null;
        var followed = false;
        bool InScope(ActiveRule rule) => ns is null ? rule.Spec.AllowsClusterScoped : rule.Spec.CoversNamespace(ns, namespaceLabels);
        foreach (var group in active)
        {
            if (group.FirstOrDefault(InScope) is not { } first)
            {
                continue;
            }

            followed = true;
            var capturing = group.FirstOrDefault(rule => InScope(rule)
                && CaptureFilter.LeftOutBecause(rule.Spec, rule.ThroughWildcard, resource, obj) is null);
            var outcome = capturing is not null
                ? await group.Key.UpsertAsync(obj, capturing.Spec, cancellationToken)
                : await group.Key.RemoveAsync(Identity(resource, ns, metadata?.GetString("name") ?? ""), null, first.Spec, cancellationToken) switch
                {
                    CaptureOutcome.Committed => CaptureOutcome.Committed,
                    _ => CaptureOutcome.NotCaptured,
                };
            metrics.Processed(resource.Kind, outcome);
        }

        if (!followed)
        {
            metrics.Processed(resource.Kind, CaptureOutcome.NotCaptured);
        }
    }

    private async Task DeleteAsync(WatchedResource resource, ReflectorEvent.Deleted deleted, IReadOnlyList<IGrouping<RepoCapture, ActiveRule>> active, CancellationToken cancellationToken)
    {
        var separator = deleted.Key.IndexOf('/', StringComparison.Ordinal);
        var ns = separator < 0 ? null : deleted.Key[..separator];
        var identity = Identity(resource, ns, separator < 0 ? deleted.Key : deleted.Key[(separator + 1)..]);
        var version = deleted.LastState?.GetMapping("metadata")?.GetString("resourceVersion");

        // A namespace being deleted (or already gone) is still followed for the deletions of its objects.
        JsonObject? found = null;
        var known = ns is not null && namespaces.TryGet(ns, out found);
        var namespaceLabels = found is null ? null : ReflectedObjects.LabelsOf(found);
        foreach (var group in active)
        {
            var rule = group.FirstOrDefault(rule => ns is null ? rule.Spec.AllowsClusterScoped : !known || rule.Spec.CoversNamespace(ns, namespaceLabels));
            if (rule is not null)
            {
                metrics.Processed(resource.Kind, await group.Key.RemoveAsync(identity, version, rule.Spec, cancellationToken));
            }
        }
    }

    private static ObjectIdentity Identity(WatchedResource resource, string? ns, string name) => new(resource.ApiVersion, resource.Kind, ns, name);

    private sealed class Handler(RuleEngine engine, WatchedResource resource) : IReflectorHandler
    {
        public ValueTask HandleAsync(ReflectorEvent change, CancellationToken cancellationToken) => engine.HandleAsync(resource, change, cancellationToken);
    }
}
