using GitOpsReverser.Capture;
using GitOpsReverser.Kube;
using GitOpsReverser.Specs;
using Microsoft.Extensions.Logging;

namespace GitOpsReverser.Control;

/// <summary>
/// The reflectors of the kinds the rules capture, one per resource however many rules name it, and the routes from
/// their events to repositories (<see cref="RuleEngine"/>); what each repository captured as of its last sync, so
/// that a rule or CRD change resyncs only what is new to it.
/// </summary>
internal sealed class CapturedResources(
    ApiServerClient api, ReflectorOptions reflectorOptions, ReflectedObjects namespaces, WatchMetrics watchMetrics, TimeProvider time, ILoggerFactory loggers, ILogger logger)
    : IAsyncDisposable
{
    private readonly RuleEngine engine = new(namespaces, watchMetrics, logger);
    private readonly Dictionary<RepoCapture, CaptureScope> captured = [];
    private readonly Dictionary<WatchedResource, RunningReflector> reflectors = [];

    /// <summary>The API server's refusal to list <paramref name="resource"/>, when it refused; else null.</summary>
    public string? Forbidden(WatchedResource resource) =>
        reflectors.TryGetValue(resource, out var running) && running.Reflector.Status.Forbidden ? running.Reflector.Status.LastError ?? "forbidden" : null;

    /// <summary>A capture that goes: nothing routes to it any more, and a capture of the same repository starts afresh.</summary>
    public void Forget(RepoCapture capture)
    {
        captured.Remove(capture);
        engine.Remove(capture);
    }

    /// <summary>
    /// Brings the reflectors in line with <paramref name="active"/> (the rules as resolved now): starts and stops watches,
    /// publishes the routes, and starts the sync of every repository whose scope grew.
    /// </summary>
    public async Task ReconcileAsync(
        IReadOnlyList<RepoCapture> captures, IReadOnlyList<ResolvedRule> active, Func<LabelMatcher, IEnumerable<string>> selectedNamespaces,
        CancellationToken cancellationToken)
    {
        // What each repository captures now; what is new to it (a new repository: all of it) resyncs, and
        // nothing else: a kind added by a CRD or a rule edit lists that kind alone, and every other kind's
        // events go on being committed one by one.
        var resyncing = new List<(RepoCapture Capture, CaptureScope Scope, SyncScope Sync)>();
        foreach (var capture in captures)
        {
            var scope = CaptureScope.Of(active.Where(rule => rule.Capture == capture), selectedNamespaces);
            var known = captured.GetValueOrDefault(capture);
            var sync = known is null || capture.NeedsResync ? scope.Everything() : scope.Since(known);
            if (known is null || sync.Resources.Count > 0)
            {
                resyncing.Add((capture, scope, sync));
            }
            else
            {
                // Kinds and namespaces that went need nothing: their files stay.
                captured[capture] = scope;
            }
        }

        var routes = active
            .SelectMany(active => active.Resources.Select(resource => new ActiveRule(active.Rule, active.Capture, resource, active.Wildcards.Contains(resource))))
            .ToList();
        var needed = routes.Select(route => route.Resource).ToHashSet();
        foreach (var unneeded in reflectors.Keys.Where(resource => !needed.Contains(resource)).ToList())
        {
            Log.WatchStopped(logger, unneeded.ToString());
            await reflectors[unneeded].DisposeAsync();
            reflectors.Remove(unneeded);
        }

        var starting = new List<RunningReflector>();
        foreach (var resource in needed.Where(resource => !reflectors.ContainsKey(resource)))
        {
            var running = new RunningReflector(
                new Reflector(api, resource, engine.HandlerFor(resource), reflectorOptions, time, loggers.CreateLogger<Reflector>(), watchMetrics),
                CancellationTokenSource.CreateLinkedTokenSource(cancellationToken));
            reflectors[resource] = running;
            starting.Add(running);
            Log.WatchStarted(logger, resource.ToString());
        }

        engine.Publish(routes);

        // Every repository that resyncs waits for a list that starts after it began collecting: a new reflector's
        // first, or a relist of one already running, of the resources it brings in only.
        var relist = new HashSet<WatchedResource>();
        foreach (var (capture, scope, sync) in resyncing)
        {
            var tickets = sync.Resources.ToDictionary(resource => resource, resource =>
                starting.Contains(reflectors[resource]) ? reflectors[resource].Reflector.ListTicket : reflectors[resource].Reflector.ListTicket + 1);
            var owned = sync.Owned(capture.BaseFolder);
            if (await capture.BeginSyncAsync(tickets, owned.Contains, cancellationToken, sync))
            {
                captured[capture] = scope;
                relist.UnionWith(sync.Resources.Where(resource => !starting.Contains(reflectors[resource])));
                Log.SyncStarted(logger, capture.Spec.Id.ToString(), sync.ToString());
            }
        }

        foreach (var resource in relist)
        {
            reflectors[resource].Reflector.RequestRelist();
        }

        foreach (var running in starting)
        {
            running.Start();
        }

        // A resource the operator may not list never completes a list: syncs go ahead without it.
        foreach (var (_, capture, resources, _, _) in active)
        {
            foreach (var resource in resources.Where(resource => reflectors[resource].Reflector.Status.Forbidden))
            {
                await capture.SkipAsync(resource, cancellationToken);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var running in reflectors.Values)
        {
            await running.DisposeAsync();
        }

        reflectors.Clear();
    }
}
