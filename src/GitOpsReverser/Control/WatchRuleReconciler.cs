using System.Text.Json.Nodes;
using GitOpsReverser.Capture;
using GitOpsReverser.Kube;
using GitOpsReverser.Sanitizing;
using GitOpsReverser.Specs;
using Microsoft.Extensions.Logging;
using RuleStatus = GitOpsReverser.Api.V1Alpha1.RuleStatus;

namespace GitOpsReverser.Control;

/// <summary>One WatchRule or ClusterWatchRule as it is reconciled: what it captures, into which repository, and which paths it owns there.</summary>
internal sealed record ResolvedRule(
    CaptureRule Rule, RepoCapture Capture, IReadOnlyList<WatchedResource> Resources, IReadOnlySet<WatchedResource> Wildcards, OwnedPaths Owned);

/// <summary>
/// Reconciles WatchRules and ClusterWatchRules: reads each spec, resolves its resources against what the
/// cluster serves, finds its repository, and says in its status what it captures or why it cannot. A rule
/// writing into a tenant's GitRepoConfig captures only the kinds that GitRepoConfig's identity may list and
/// watch in the namespaces the rule covers (<see cref="TenantAccess"/>): a named kind it may not read is the
/// rule's <c>AccessDenied</c>, a kind a wildcard found is left out and named in the message. Reads only what it
/// is given, so it is tested without a cluster.
/// </summary>
internal sealed class WatchRuleReconciler(string operatorNamespace, ILogger logger)
{
    /// <summary>What the reconcile reads besides the rule: the GitRepoConfigs, and the cluster as the controller sees it.</summary>
    public sealed record Inputs(
        IReadOnlyList<JsonObject> GitRepoConfigs,
        Func<ResourceKey, RepoCapture?> Capture,
        IReadOnlyList<DiscoveredResource> Discovered,
        Func<LabelMatcher, IEnumerable<string>> SelectedNamespaces,
        Func<WatchedResource, string?> Forbidden)
    {
        /// <summary>What tenants' repositories may read; default: no checks.</summary>
        public TenantAccess Access { get; init; } = new(null, "", "default");
    }

    /// <summary>Reconciles one rule (<paramref name="kind"/> WatchRule or ClusterWatchRule): what it captures, or why it cannot.</summary>
    public async Task<(ResolvedRule? Rule, ObjectStatus Status)> ReconcileAsync(string kind, JsonObject obj, Inputs inputs, CancellationToken cancellationToken)
    {
        var key = SpecReader.KeyOf(kind, obj);
        var generation = SpecReader.GenerationOf(obj);
        try
        {
            return await ReconcileAsync(kind, obj, key, generation, inputs, cancellationToken);
        }
        catch (SpecException exception)
        {
            Log.ObjectNotReady(logger, key.ToString(), exception.Reason, exception.Message);
            return (null, NotCapturing(key, generation, exception.Reason, exception.Message));
        }
        catch (Exception exception) when (exception is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // One rule that cannot be reconciled (the API server could not be asked) is its own condition, never the others'.
            Log.ReconcileObjectFailed(logger, key.ToString(), exception);
            return (null, NotCapturing(key, generation, "ReconcileFailed", $"could not be reconciled ({exception.GetType().Name}: {exception.Message}); trying again"));
        }
    }

    private static ObjectStatus NotCapturing(ResourceKey key, long generation, string reason, string message) =>
        new(key, generation, false, reason, message, new RuleStatus { ResolvedResources = [], TrackedObjects = 0 });

    private async Task<(ResolvedRule? Rule, ObjectStatus Status)> ReconcileAsync(
        string kind, JsonObject obj, ResourceKey key, long generation, Inputs inputs, CancellationToken cancellationToken)
    {
        var rule = SpecReader.ReadRule(kind, obj, operatorNamespace);
        if (inputs.Capture(rule.Repo) is not { } capture)
        {
            throw inputs.GitRepoConfigs.Any(repo => SpecReader.KeyOf(SpecReader.GitRepoConfigKind, repo) == rule.Repo)
                ? new SpecException("GitRepoConfigNotReady", $"GitRepoConfig {rule.Repo.Namespace}/{rule.Repo.Name} is not usable; see its Ready condition")
                : new SpecException("GitRepoConfigNotFound", $"GitRepoConfig {rule.Repo.Namespace}/{rule.Repo.Name} does not exist");
        }

        if (capture.PolicyFor(rule) == SecretPolicy.Encrypt && capture.Encryptor is null)
        {
            throw new SpecException("EncryptionNotConfigured",
                $"secretPolicy Encrypt needs age recipients: set encryption.age.recipients in GitRepoConfig {rule.Repo.Namespace}/{rule.Repo.Name}; " +
                "no Secret is written until then");
        }

        var resolved = new List<(WatchedResource Resource, bool Wildcard)>();
        var problems = new List<string>();
        foreach (var entry in rule.Resources)
        {
            var served = ResourceSelection.Resolve(inputs.Discovered, entry.ApiVersion, entry.Kind);
            var matches = served.Where(resource => resource.Namespaced || rule.AllowsClusterScoped).ToList();
            if (matches.Count == 0)
            {
                problems.Add(rule.AllowsClusterScoped || served.Count == 0
                    ? $"no served resource matches apiVersion {entry.ApiVersion} kind {entry.Kind} (kubectl api-resources lists what the cluster serves)"
                    : $"{entry.Kind} is cluster-scoped and a WatchRule captures namespaced kinds only (use a ClusterWatchRule)");
            }

            resolved.AddRange(matches.Select(match => (match.ToWatched(), entry.IsWildcardKind)));
        }

        var (denied, leftOut) = await DeniedAsync(rule, capture, resolved, inputs, cancellationToken);
        resolved.RemoveAll(item => denied.ContainsKey(item.Resource) || leftOut.ContainsKey(item.Resource));
        problems.AddRange(denied.Values);
        var resources = resolved.Select(item => item.Resource).Distinct().OrderBy(item => item.ToString(), StringComparer.Ordinal).ToList();
        var owned = Owned(rule, capture, resources, inputs.SelectedNamespaces);
        var forbidden = resources.Select(resource => (Resource: resource, Error: inputs.Forbidden(resource))).Where(item => item.Error is not null).ToList();

        // The API server's own words name the verb, the resource and the operator's identity.
        problems.AddRange(forbidden.Select(item => $"{item.Resource}: {item.Error} (grant it in the operator's ClusterRole)"));
        var fields = new RuleStatus
        {
            ResolvedResources = [.. resources.Select(resource => $"{resource}/{resource.Version}")],
            TrackedObjects = capture.Cache.CountWhere(owned.Contains),
        };
        var unmatched = capture.Synced ? capture.UnmatchedIgnoreFields(rule) : [];
        if (unmatched.Count > 0)
        {
            fields.IgnoreFieldsUnmatched = [.. unmatched];
        }

        var reason = forbidden.Count > 0 ? "Forbidden" : denied.Count > 0 ? "AccessDenied" : problems.Count > 0 ? "UnknownKind" : capture.Synced ? "Capturing" : "Syncing";
        var message = problems.Count > 0
            ? string.Join("; ", problems)
            : capture.Synced
                ? $"capturing {resources.Count} resource type(s) into GitRepoConfig {rule.Repo.Namespace}/{rule.Repo.Name}"
                : "waiting for the first list of every resource before the resync commit";
        if (unmatched.Count > 0)
        {
            message += $"; ignoreFields that matched no object: {string.Join("; ", unmatched)}";
        }

        if (leftOut.Count > 0)
        {
            message += $"; left out of the wildcard, as {inputs.Access.IdentityOf(capture.Spec)} may not read them: " +
                string.Join(", ", leftOut.Keys.Select(resource => resource.ToString()).Order(StringComparer.Ordinal));
        }
        var wildcards = resolved.Where(item => item.Wildcard).Select(item => item.Resource).ToHashSet();
        return (new ResolvedRule(rule, capture, resources, wildcards, owned),
            new ObjectStatus(key, generation, problems.Count == 0 && capture.Synced, reason, message, fields));
    }

    // For a tenant's repository: the named kinds its identity may not read (with the missing permission), and the
    // kinds a wildcard found that it may not read, which are left out quietly.
    private static async Task<(Dictionary<WatchedResource, string> Denied, Dictionary<WatchedResource, string> LeftOut)> DeniedAsync(
        CaptureRule rule, RepoCapture capture, List<(WatchedResource Resource, bool Wildcard)> resolved, Inputs inputs, CancellationToken cancellationToken)
    {
        var denied = new Dictionary<WatchedResource, string>();
        var leftOut = new Dictionary<WatchedResource, string>();
        if (!inputs.Access.Checks(capture.Spec))
        {
            return (denied, leftOut);
        }

        IReadOnlyCollection<string>? namespaces = rule.OwnNamespace is { } own ? [own]
            : rule.NamespaceSelector is { } selector ? [.. inputs.SelectedNamespaces(selector)]
            : null;
        foreach (var group in resolved.GroupBy(item => item.Resource))
        {
            if (await inputs.Access.MissingAsync(capture.Spec, group.Key, namespaces, cancellationToken) is { } missing)
            {
                (group.All(item => item.Wildcard) ? leftOut : denied)[group.Key] =
                    $"{group.Key}: {missing} (grant it with a Role and RoleBinding, or set the GitRepoConfig's spec.serviceAccountName to an account that has it)";
            }
        }

        return (denied, leftOut);
    }

    private static OwnedPaths Owned(CaptureRule rule, RepoCapture capture, IReadOnlyList<WatchedResource> resources,
        Func<LabelMatcher, IEnumerable<string>> selectedNamespaces)
    {
        var owned = new OwnedPaths(capture.BaseFolder);
        var selected = rule.NamespaceSelector is { } selector ? selectedNamespaces(selector).ToList() : [];
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
}
