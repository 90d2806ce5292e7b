using GitOpsReverser.Capture;
using GitOpsReverser.Kube;
using GitOpsReverser.Specs;

namespace GitOpsReverser.Control;

/// <summary>
/// What one repository captures, resource by resource: in which namespaces (null: every one, or a cluster-scoped
/// kind) and under which settings of its rules. Compared with the last one it tells the controller exactly what a
/// resync must bring in: a kind that is new, a kind whose rules' settings changed, namespaces that started matching.
/// A kind or namespace that goes needs nothing (its files stay), and nothing else is listed again.
/// </summary>
internal sealed class CaptureScope
{
    private readonly Dictionary<WatchedResource, (HashSet<string>? Namespaces, string Settings)> resources = [];

    /// <summary>The scope of <paramref name="rules"/> (one repository's, in rule order).</summary>
    public static CaptureScope Of(IEnumerable<ResolvedRule> rules, Func<LabelMatcher, IEnumerable<string>> selectedNamespaces)
    {
        var scope = new CaptureScope();
        foreach (var active in rules)
        {
            var rule = active.Rule;
            var selected = rule.NamespaceSelector is { } selector ? selectedNamespaces(selector).ToHashSet(StringComparer.Ordinal) : null;
            foreach (var resource in active.Resources)
            {
                var namespaces = !resource.Namespaced ? null : rule.OwnNamespace is { } own ? new HashSet<string>(StringComparer.Ordinal) { own } : selected;
                var settings = Settings(active, resource);
                if (!scope.resources.TryGetValue(resource, out var known))
                {
                    scope.resources[resource] = (namespaces is null ? null : [.. namespaces], settings);
                    continue;
                }

                if (known.Namespaces is not null && namespaces is not null)
                {
                    known.Namespaces.UnionWith(namespaces);
                }

                scope.resources[resource] = (known.Namespaces is null || namespaces is null ? null : known.Namespaces, known.Settings + "\n" + settings);
            }
        }

        return scope;
    }

    /// <summary>All of it, as one resync.</summary>
    public SyncScope Everything() =>
        SyncScope.All(resources.ToDictionary(pair => pair.Key, pair => (IReadOnlySet<string>?)pair.Value.Namespaces));

    /// <summary>What this scope captures that <paramref name="previous"/> did not capture the same way; empty when nothing.</summary>
    public SyncScope Since(CaptureScope previous)
    {
        var added = new Dictionary<WatchedResource, IReadOnlySet<string>?>();
        foreach (var (resource, (namespaces, settings)) in resources)
        {
            if (!previous.resources.TryGetValue(resource, out var before) || before.Settings != settings)
            {
                added[resource] = namespaces;
            }
            else if (before.Namespaces is { } had && (namespaces is null || !namespaces.IsSubsetOf(had)))
            {
                added[resource] = namespaces?.Except(had).ToHashSet(StringComparer.Ordinal);
            }
        }

        return new SyncScope(added);
    }

    // What decides how the rule writes the resource's objects: a change of it resyncs the kind. Who is excluded
    // (users, groups) changes no file and is left out.
    private static string Settings(ResolvedRule active, WatchedResource resource)
    {
        var rule = active.Rule;
        return string.Join('|', rule.Id, rule.ExcludeLabels, rule.ObjectSelector, rule.Operations, active.Capture.PolicyFor(rule),
            string.Join(',', rule.ExcludeFieldManagers.Order(StringComparer.Ordinal)), rule.IncludeOwned,
            string.Join(',', rule.Include.Order()), active.Wildcards.Contains(resource), string.Join(';', active.Capture.IgnoreFieldsFor(rule)));
    }
}
