using System.Text.Json.Nodes;
using GitOpsReverser.Discovery;
using GitOpsReverser.Git;
using GitOpsReverser.Hosting;
using GitOpsReverser.Resources;
using GitOpsReverser.Sanitizing;
using GitOpsReverser.Watching;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace GitOpsReverser.Rules;

/// <summary>
/// The operator's control loop. Reflectors follow its own objects (GitRepoConfigs, WatchRules,
/// ClusterWatchRules), namespaces and CRDs; whenever one changes, the loop reconciles: discovery
/// resolves the rules' kinds, a <see cref="RepoCapture"/> runs per usable GitRepoConfig, one shared
/// reflector runs per resource any rule needs (others stop), and a repository whose rules changed
/// resyncs. Every object's Ready condition says what is wrong, and a bad object never stops the others.
/// </summary>
internal sealed class RuleController : BackgroundService
{
    private static readonly WatchedResource GitRepoConfigs = new("configbutler.ai", "v1alpha1", "gitrepoconfigs", SpecReader.GitRepoConfigKind, true);
    private static readonly WatchedResource WatchRules = new("configbutler.ai", "v1alpha1", "watchrules", SpecReader.WatchRuleKind, true);
    private static readonly WatchedResource ClusterWatchRules = new("configbutler.ai", "v1alpha1", "clusterwatchrules", SpecReader.ClusterWatchRuleKind, false);
    private static readonly WatchedResource Namespaces = new("", "v1", "namespaces", "Namespace", false);
    private static readonly WatchedResource Crds = new("apiextensions.k8s.io", "v1", "customresourcedefinitions", "CustomResourceDefinition", false);

    private readonly KubernetesApi api;
    private readonly ApiDiscovery discovery;
    private readonly StatusWriter statusWriter;
    private readonly OperatorOptions options;
    private readonly WatchMetrics watchMetrics;
    private readonly TimeProvider time;
    private readonly ILoggerFactory loggers;
    private readonly ILogger logger;
    private readonly ReflectorOptions reflectorOptions;
    private readonly SemaphoreSlim trigger = new(0, 1);
    private readonly ObjectStore repoStore;
    private readonly ObjectStore ruleStore;
    private readonly ObjectStore clusterRuleStore;
    private readonly ObjectStore crdStore;
    private readonly ObjectStore namespaces;
    private readonly RuleEngine engine;
    private readonly List<RunningReflector> metaReflectors = [];
    private readonly RepoCaptures captures;
    private readonly Dictionary<RepoCapture, string> signatures = [];
    private readonly Dictionary<WatchedResource, RunningReflector> reflectors = [];
    private readonly List<ObjectStatus> statuses = [];
    private readonly List<(WatchRuleSpec Rule, RepoCapture Capture, IReadOnlyList<WatchedResource> Resources, IReadOnlySet<WatchedResource> Wildcards, OwnedPaths Owned)> activeRules = [];
    private IReadOnlyList<DiscoveredResource>? discovered;
    private DateTimeOffset lastDiscovery;
    private volatile bool crdsChanged = true;
    private volatile bool reconciled;

    public RuleController(
        KubernetesApi api, HttpClient http, IOptions<OperatorOptions> options, Sanitizer sanitizer, GitMetrics gitMetrics, WatchMetrics watchMetrics,
        TimeProvider time, ILoggerFactory loggers, ReflectorOptions? reflectorOptions = null)
    {
        this.api = api;
        discovery = new ApiDiscovery(http);
        this.options = options.Value;
        this.watchMetrics = watchMetrics;
        this.time = time;
        this.loggers = loggers;
        logger = loggers.CreateLogger<RuleController>();
        statusWriter = new StatusWriter(http, time, logger);
        this.reflectorOptions = reflectorOptions ?? new ReflectorOptions();
        repoStore = new ObjectStore(Trigger);
        ruleStore = new ObjectStore(Trigger);
        clusterRuleStore = new ObjectStore(Trigger);
        crdStore = new ObjectStore(() =>
        {
            crdsChanged = true;
            Trigger();
        });
        namespaces = ObjectStore.Namespaces(Trigger);
        engine = new RuleEngine(namespaces, watchMetrics, logger);
        captures = new RepoCaptures(this.options, new SecretReader(http), sanitizer, gitMetrics, time, loggers,
            capture =>
            {
                signatures.Remove(capture);
                engine.Remove(capture);
            },
            Trigger);
    }

    private string OperatorNamespace => options.Namespace ?? OperatorOptions.DefaultNamespace();

    /// <summary>True once the operator's objects are listed and every repository has finished its first sync.</summary>
    public bool Ready => reconciled && captures.All.All(capture => capture.Synced);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        foreach (var (resource, handler) in new (WatchedResource, IReflectorHandler)[]
        {
            (GitRepoConfigs, repoStore), (WatchRules, ruleStore), (ClusterWatchRules, clusterRuleStore), (Namespaces, namespaces), (Crds, crdStore),
        })
        {
            var running = new RunningReflector(
                new Reflector(api, resource, handler, reflectorOptions, time, loggers.CreateLogger<Reflector>(), watchMetrics),
                CancellationTokenSource.CreateLinkedTokenSource(stoppingToken));
            running.Start();
            metaReflectors.Add(running);
        }

        Log.Started(logger, OperatorNamespace);
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                await Task.WhenAny(trigger.WaitAsync(stoppingToken), Task.Delay(options.StatusInterval, time, stoppingToken));
                stoppingToken.ThrowIfCancellationRequested();

                // Let a burst of changes (kubectl apply -f of a folder) settle into one reconcile.
                await Task.Delay(TimeSpan.FromMilliseconds(200), time, stoppingToken);
                while (trigger.CurrentCount > 0)
                {
                    await trigger.WaitAsync(stoppingToken);
                }

                try
                {
                    await ReconcileAsync(stoppingToken);
                    await statusWriter.WriteAsync(statuses, stoppingToken);
                }
                catch (Exception exception) when (exception is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
                {
                    Log.ReconcileFailed(logger, exception);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping.
        }
        finally
        {
            await StopAllAsync();
        }
    }

    private void Trigger()
    {
        try
        {
            trigger.Release();
        }
        catch (SemaphoreFullException)
        {
            // A reconcile is already due.
        }
    }

    private async Task ReconcileAsync(CancellationToken cancellationToken)
    {
        if (!repoStore.Synced || !ruleStore.Synced || !clusterRuleStore.Synced || !namespaces.Synced)
        {
            return;
        }

        if (crdsChanged || discovered is null || time.GetUtcNow() - lastDiscovery > TimeSpan.FromSeconds(60))
        {
            crdsChanged = false;
            discovered = await discovery.DiscoverAsync(cancellationToken);
            lastDiscovery = time.GetUtcNow();
        }

        statuses.Clear();
        statuses.AddRange(await captures.ReconcileAsync(repoStore.Objects, cancellationToken));
        ReconcileRules();
        await ReconcileReflectorsAsync(cancellationToken);
        reconciled = true;
    }

    private void ReconcileRules()
    {
        activeRules.Clear();
        var objects = ruleStore.Objects.Select(obj => (SpecReader.WatchRuleKind, obj))
            .Concat(clusterRuleStore.Objects.Select(obj => (SpecReader.ClusterWatchRuleKind, obj)));
        foreach (var (kind, obj) in objects)
        {
            var key = SpecReader.KeyOf(kind, obj);
            var generation = SpecReader.GenerationOf(obj);
            try
            {
                var rule = SpecReader.ReadRule(kind, obj, OperatorNamespace);
                if (!captures.TryGet(rule.Repo, out var capture))
                {
                    throw repoStore.Objects.Any(repo => SpecReader.KeyOf(SpecReader.GitRepoConfigKind, repo) == rule.Repo)
                        ? new SpecException("GitRepoConfigNotReady", $"GitRepoConfig {rule.Repo.Namespace}/{rule.Repo.Name} is not usable; see its Ready condition")
                        : new SpecException("GitRepoConfigNotFound", $"GitRepoConfig {rule.Repo.Namespace}/{rule.Repo.Name} does not exist");
                }

                var resolved = new List<(WatchedResource Resource, bool Wildcard)>();
                var problems = new List<string>();
                foreach (var entry in rule.Resources)
                {
                    var matches = ResourceSelection.Resolve(discovered!, entry.ApiVersion, entry.Kind)
                        .Where(resource => resource.Namespaced || rule.AllowsClusterScoped)
                        .ToList();
                    if (matches.Count == 0)
                    {
                        problems.Add(rule.AllowsClusterScoped || ResourceSelection.Resolve(discovered!, entry.ApiVersion, entry.Kind).Count == 0
                            ? $"no served resource matches apiVersion {entry.ApiVersion} kind {entry.Kind} (kubectl api-resources lists what the cluster serves)"
                            : $"{entry.Kind} is cluster-scoped and a WatchRule captures namespaced kinds only (use a ClusterWatchRule)");
                    }

                    resolved.AddRange(matches.Select(match => (match.ToWatched(), entry.IsWildcardKind)));
                }

                var resources = resolved.Select(item => item.Resource).Distinct().OrderBy(item => item.ToString(), StringComparer.Ordinal).ToList();
                var owned = Owned(rule, capture, resources);
                activeRules.Add((rule, capture, resources, resolved.Where(item => item.Wildcard).Select(item => item.Resource).ToHashSet(), owned));

                var forbidden = resources.Where(resource => reflectors.TryGetValue(resource, out var running) && running.Reflector.Status.Forbidden).ToList();
                // The API server's own words name the verb, the resource and the operator's identity.
                problems.AddRange(forbidden.Select(resource => $"{resource}: {reflectors[resource].Reflector.Status.LastError ?? "forbidden"} (grant it in the operator's ClusterRole)"));
                var fields = new JsonObject
                {
                    ["resolvedResources"] = new JsonArray([.. resources.Select(resource => (JsonNode)$"{resource}/{resource.Version}")]),
                    ["trackedObjects"] = capture.Cache.CountWhere(owned.Contains),
                };
                var reason = forbidden.Count > 0 ? "Forbidden" : problems.Count > 0 ? "UnknownKind" : capture.Synced ? "Capturing" : "Syncing";
                var message = problems.Count > 0
                    ? string.Join("; ", problems)
                    : capture.Synced
                        ? $"capturing {resources.Count} resource type(s) into GitRepoConfig {rule.Repo.Namespace}/{rule.Repo.Name}"
                        : "waiting for the first list of every resource before the resync commit";
                statuses.Add(new ObjectStatus(key, generation, problems.Count == 0 && capture.Synced, reason, message, fields));
            }
            catch (SpecException exception)
            {
                Log.ObjectNotReady(logger, key.ToString(), exception.Reason, exception.Message);
                statuses.Add(new ObjectStatus(key, generation, false, exception.Reason, exception.Message, new JsonObject
                {
                    ["resolvedResources"] = new JsonArray(),
                    ["trackedObjects"] = 0,
                }));
            }
        }
    }

    private OwnedPaths Owned(WatchRuleSpec rule, RepoCapture capture, IReadOnlyList<WatchedResource> resources)
    {
        var owned = new OwnedPaths(capture.BaseFolder);
        var selected = rule.NamespaceSelector is { } selector ? SelectedNamespaces(selector).ToList() : [];
        foreach (var resource in resources)
        {
            if (!resource.Namespaced)
            {
                owned.AddClusterScoped(resource);
            }
            else if (rule.OwnNamespace is { } own)
            {
                owned.AddNamespace(own, resource);
            }
            else if (rule.NamespaceSelector is null)
            {
                owned.AddEveryNamespace(resource);
            }
            else
            {
                foreach (var ns in selected)
                {
                    owned.AddNamespace(ns, resource);
                }
            }
        }

        return owned;
    }

    private IEnumerable<string> SelectedNamespaces(LabelSelector selector) =>
        namespaces.Objects.Where(ns => selector.Matches(ObjectStore.LabelsOf(ns))).Select(ns => (string?)ns["metadata"]?["name"] ?? "");

    private async Task ReconcileReflectorsAsync(CancellationToken cancellationToken)
    {
        // The rules each repository has now; a repository whose rules changed resyncs.
        var resyncing = new List<(RepoCapture Capture, HashSet<WatchedResource> Resources, Func<string, bool> Owned)>();
        foreach (var capture in captures.All)
        {
            var mine = activeRules.Where(active => active.Capture == capture).ToList();
            var signature = string.Join("\n", mine.Select(active =>
                $"{active.Rule.Id}@{active.Rule.Generation}:{string.Join(",", active.Resources)}" +
                (active.Rule.NamespaceSelector is { } selector
                    ? ":" + string.Join(",", SelectedNamespaces(selector))
                    : "")));
            if (!signatures.TryGetValue(capture, out var previous) || previous != signature)
            {
                signatures[capture] = signature;
                var owned = mine.Select(active => active.Owned).ToList();
                resyncing.Add((capture, [.. mine.SelectMany(active => active.Resources)], path => owned.Any(paths => paths.Contains(path))));
            }
        }

        var routes = activeRules
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

        // Every repository that resyncs waits for a list that starts after it began collecting.
        var relist = new HashSet<WatchedResource>();
        foreach (var (capture, resources, owned) in resyncing)
        {
            var tickets = resources.ToDictionary(resource => resource, resource =>
                starting.Contains(reflectors[resource]) ? reflectors[resource].Reflector.ListTicket : reflectors[resource].Reflector.ListTicket + 1);
            await capture.BeginSyncAsync(tickets, owned, cancellationToken);
            relist.UnionWith(resources.Where(resource => !starting.Contains(reflectors[resource])));
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
        foreach (var (_, capture, resources, _, _) in activeRules)
        {
            foreach (var resource in resources.Where(resource => reflectors[resource].Reflector.Status.Forbidden))
            {
                await capture.SkipAsync(resource, cancellationToken);
            }
        }
    }

    private async Task StopAllAsync()
    {
        foreach (var running in reflectors.Values.Concat(metaReflectors))
        {
            await running.DisposeAsync();
        }

        await captures.RemoveAllAsync();
    }
}
