using System.Text.Json.Nodes;
using GitOpsReverser.Api;
using GitOpsReverser.Capture;
using GitOpsReverser.Kube;
using GitOpsReverser.Sanitizing;
using Microsoft.Extensions.Logging;

namespace GitOpsReverser.Control;

/// <summary>One WatchRule or ClusterWatchRule as it is reconciled: what it captures, into which repository, and which paths it owns there.</summary>
internal sealed record ResolvedRule(
    WatchRuleSpec Rule, RepoCapture Capture, IReadOnlyList<WatchedResource> Resources, IReadOnlySet<WatchedResource> Wildcards, OwnedPaths Owned);

/// <summary>
/// Reconciles WatchRules and ClusterWatchRules: reads each spec, resolves its resources against what the
/// cluster serves, finds its repository, and says in its status what it captures or why it cannot.
/// Reads only what it is given, so it is tested without a cluster.
/// </summary>
internal sealed class WatchRuleReconciler(string operatorNamespace, ILogger logger)
{
    /// <summary>What the reconcile reads: the rules, the GitRepoConfigs, and the cluster as the controller sees it.</summary>
    public sealed record Inputs(
        IReadOnlyList<JsonObject> WatchRules,
        IReadOnlyList<JsonObject> ClusterWatchRules,
        IReadOnlyList<JsonObject> GitRepoConfigs,
        Func<ResourceKey, RepoCapture?> Capture,
        IReadOnlyList<DiscoveredResource> Discovered,
        Func<LabelSelector, IEnumerable<string>> SelectedNamespaces,
        Func<WatchedResource, string?> Forbidden);

    public (List<ResolvedRule> Rules, List<ObjectStatus> Statuses) Reconcile(Inputs inputs)
    {
        var rules = new List<ResolvedRule>();
        var statuses = new List<ObjectStatus>();
        var objects = inputs.WatchRules.Select(obj => (SpecReader.WatchRuleKind, obj))
            .Concat(inputs.ClusterWatchRules.Select(obj => (SpecReader.ClusterWatchRuleKind, obj)));
        foreach (var (kind, obj) in objects)
        {
            var key = SpecReader.KeyOf(kind, obj);
            var generation = SpecReader.GenerationOf(obj);
            try
            {
                var (resolved, status) = Reconcile(kind, obj, key, generation, inputs);
                rules.Add(resolved);
                statuses.Add(status);
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

        return (rules, statuses);
    }

    private (ResolvedRule Rule, ObjectStatus Status) Reconcile(string kind, JsonObject obj, ResourceKey key, long generation, Inputs inputs)
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

        var resources = resolved.Select(item => item.Resource).Distinct().OrderBy(item => item.ToString(), StringComparer.Ordinal).ToList();
        var owned = Owned(rule, capture, resources, inputs.SelectedNamespaces);
        var forbidden = resources.Select(resource => (Resource: resource, Error: inputs.Forbidden(resource))).Where(item => item.Error is not null).ToList();

        // The API server's own words name the verb, the resource and the operator's identity.
        problems.AddRange(forbidden.Select(item => $"{item.Resource}: {item.Error} (grant it in the operator's ClusterRole)"));
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
        var wildcards = resolved.Where(item => item.Wildcard).Select(item => item.Resource).ToHashSet();
        return (new ResolvedRule(rule, capture, resources, wildcards, owned),
            new ObjectStatus(key, generation, problems.Count == 0 && capture.Synced, reason, message, fields));
    }

    private static OwnedPaths Owned(WatchRuleSpec rule, RepoCapture capture, IReadOnlyList<WatchedResource> resources,
        Func<LabelSelector, IEnumerable<string>> selectedNamespaces)
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
