using GitOpsReverser.Git.Layout;
using GitOpsReverser.Kube;

namespace GitOpsReverser.Capture;

/// <summary>
/// The repository paths a repository's rules own, which a resync may change: each cluster-scoped kind's
/// folder, and each namespaced kind's folder in the namespaces its rule covers (in every namespace,
/// existing or not, for a rule without a namespace selector). Everything else (a README, another
/// team's folders, namespaces no longer selected) is never touched.
/// </summary>
internal sealed class OwnedPaths
{
    private readonly HashSet<string> clusterKinds = new(StringComparer.Ordinal);
    private readonly HashSet<string> everyNamespaceKinds = new(StringComparer.Ordinal);
    private readonly HashSet<(string Namespace, string Kind)> namespaceKinds = [];
    private readonly string prefix;

    public OwnedPaths(string baseFolder) => prefix = baseFolder.Length == 0 ? "" : baseFolder + "/";

    public void AddClusterScoped(WatchedResource resource) => clusterKinds.Add(RepositoryLayout.KindFolder(resource.Kind, resource.Group));

    public void AddEveryNamespace(WatchedResource resource) => everyNamespaceKinds.Add(RepositoryLayout.KindFolder(resource.Kind, resource.Group));

    public void AddNamespace(string ns, WatchedResource resource) => namespaceKinds.Add((ns, RepositoryLayout.KindFolder(resource.Kind, resource.Group)));

    public bool Contains(string path)
    {
        if (!path.StartsWith(prefix, StringComparison.Ordinal))
        {
            return false;
        }

        var parts = path[prefix.Length..].Split('/');
        return parts switch
        {
            [RepositoryLayout.NamespacedFolder, var ns, var kind, _] => everyNamespaceKinds.Contains(kind) || namespaceKinds.Contains((ns, kind)),
            [RepositoryLayout.ClusterScopedFolder, var kind, _] => clusterKinds.Contains(kind),
            _ => false,
        };
    }
}
