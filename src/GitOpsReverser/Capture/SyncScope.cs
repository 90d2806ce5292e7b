using GitOpsReverser.Kube;
using GitOpsReverser.Manifests;

namespace GitOpsReverser.Capture;

/// <summary>
/// What one resync brings in: per resource type, every namespace it is captured in (null) or some of them. An
/// event in scope goes into the resync; every other event of the repository is committed as usual, so a kind that
/// is added, or a namespace that starts matching, never folds the changes to anything else into a <c>[RESYNC]</c>.
/// </summary>
internal sealed class SyncScope
{
    private readonly Dictionary<WatchedResource, HashSet<string>?> parts;

    public SyncScope(IReadOnlyDictionary<WatchedResource, IReadOnlySet<string>?> parts) =>
        this.parts = parts.ToDictionary(pair => pair.Key, pair => pair.Value is null ? null : new HashSet<string>(pair.Value, StringComparer.Ordinal));

    public IReadOnlyCollection<WatchedResource> Resources => parts.Keys;

    /// <summary>True for all a repository captures (a start, a repository that fell behind): a gap in which anything may have changed.</summary>
    public bool Whole { get; private set; }

    /// <summary>A scope of all <paramref name="parts"/> a repository captures (<see cref="Whole"/>).</summary>
    public static SyncScope All(IReadOnlyDictionary<WatchedResource, IReadOnlySet<string>?> parts) => new(parts) { Whole = true };

    /// <summary>Whether the object <paramref name="identity"/> names is in scope (of its kind in any version).</summary>
    public bool Covers(ObjectIdentity identity)
    {
        foreach (var (resource, namespaces) in parts)
        {
            if (resource.Kind == identity.Kind && resource.Group == identity.Group)
            {
                return identity.Namespace is not { } ns || namespaces is null || namespaces.Contains(ns);
            }
        }

        return false;
    }

    /// <summary>The repository paths the resync may change: the scope's kinds in the scope's namespaces, under <paramref name="baseFolder"/>.</summary>
    public OwnedPaths Owned(string baseFolder)
    {
        var owned = new OwnedPaths(baseFolder);
        foreach (var (resource, namespaces) in parts)
        {
            if (!resource.Namespaced)
            {
                owned.AddClusterScoped(resource);
            }
            else if (namespaces is null)
            {
                owned.AddEveryNamespace(resource);
            }
            else
            {
                foreach (var ns in namespaces)
                {
                    owned.AddNamespace(ns, resource);
                }
            }
        }

        return owned;
    }

    /// <summary>Adds <paramref name="other"/>'s parts to this scope.</summary>
    public void Merge(SyncScope other)
    {
        Whole = Whole || other.Whole;
        foreach (var (resource, namespaces) in other.parts)
        {
            if (!parts.TryGetValue(resource, out var mine))
            {
                parts[resource] = namespaces is null ? null : new HashSet<string>(namespaces, StringComparer.Ordinal);
            }
            else if (mine is not null)
            {
                if (namespaces is null)
                {
                    parts[resource] = null;
                }
                else
                {
                    mine.UnionWith(namespaces);
                }
            }
        }
    }

    public override string ToString() =>
        string.Join(", ", parts.Select(pair => pair.Value is null ? pair.Key.ToString() : $"{pair.Key} in {string.Join(",", pair.Value.Order(StringComparer.Ordinal))}"));
}
