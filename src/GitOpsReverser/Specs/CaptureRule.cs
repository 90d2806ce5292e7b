using GitOpsReverser.Sanitizing;
using NoiseCategory = GitOpsReverser.Api.V1Alpha1.NoiseCategory;

namespace GitOpsReverser.Specs;

/// <summary>
/// A WatchRule or ClusterWatchRule as the engine uses it. <see cref="OwnNamespace"/> is set for a
/// tenant's WatchRule (outside the operator's namespace), which captures that namespace only;
/// otherwise <see cref="NamespaceSelector"/> chooses namespaces (null: all of them). Only a
/// ClusterWatchRule (<see cref="ClusterScope"/>) captures cluster-scoped kinds.
/// </summary>
internal sealed record CaptureRule(
    ResourceKey Id,
    long Generation,
    ResourceKey Repo,
    IReadOnlyList<RuleResource> Resources,
    string? OwnNamespace,
    LabelMatcher? NamespaceSelector,
    LabelMatcher ExcludeLabels,
    CaptureOperations Operations,
    SecretPolicy? SecretPolicy,
    IReadOnlySet<string> ExcludeFieldManagers,
    bool IncludeOwned,
    bool ClusterScope)
{
    /// <summary>Users whose changes are not committed (known only through the attribution webhook).</summary>
    public IReadOnlySet<string> ExcludeUsers { get; init; } = new HashSet<string>();

    /// <summary>Groups whose members' changes are not committed (known only through the attribution webhook).</summary>
    public IReadOnlySet<string> ExcludeGroups { get; init; } = new HashSet<string>();

    /// <summary>Only objects whose labels it matches are captured (<c>objectSelector</c>); empty: every object.</summary>
    public LabelMatcher ObjectSelector { get; init; } = LabelMatcher.From(null, "objectSelector");

    /// <summary>The rule's <c>ignoreFields</c>; null when it sets none (its GitRepoConfig's apply).</summary>
    public IReadOnlyList<IgnoredFields>? IgnoreFields { get; init; }

    /// <summary>What the cluster makes for itself that this rule captures anyway (its <c>include</c>).</summary>
    public IReadOnlySet<NoiseCategory> Include { get; init; } = new HashSet<NoiseCategory>();

    /// <summary>True when the rule may capture objects in <paramref name="ns"/> whose labels are <paramref name="namespaceLabels"/>.</summary>
    public bool CoversNamespace(string ns, System.Text.Json.Nodes.JsonObject? namespaceLabels) =>
        OwnNamespace is { } own ? own == ns : NamespaceSelector?.Matches(namespaceLabels) ?? true;

    /// <summary>WatchRules capture namespaced kinds only; ClusterWatchRules both.</summary>
    public bool AllowsClusterScoped => ClusterScope;
}
