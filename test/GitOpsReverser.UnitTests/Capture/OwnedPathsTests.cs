using GitOpsReverser.Capture;
using GitOpsReverser.Kube;

namespace GitOpsReverser.UnitTests.Capture;

public sealed class OwnedPathsTests
{
    private static readonly WatchedResource ConfigMaps = new("", "v1", "configmaps", "ConfigMap", true);
    private static readonly WatchedResource Gadgets = new("example.com", "v1", "gadgets", "Gadget", true);
    private static readonly WatchedResource ClusterRoles = new("rbac.authorization.k8s.io", "v1", "clusterroles", "ClusterRole", false);

    [TestCase("clusters/prod/namespaces/any/ConfigMap/a.yaml", true)]
    [TestCase("clusters/prod/namespaces/team-a/Gadget.example.com/g.yaml", true)]
    [TestCase("clusters/prod/namespaces/team-b/Gadget.example.com/g.yaml", false)]
    [TestCase("clusters/prod/cluster-scoped/ClusterRole/admin.yaml", true)]
    [TestCase("clusters/prod/cluster-scoped/Namespace/a.yaml", false)]
    [TestCase("clusters/prod/README.md", false)]
    [TestCase("clusters/prod/namespaces/any/ConfigMap/nested/a.yaml", false)]
    [TestCase("clusters/other/namespaces/any/ConfigMap/a.yaml", false)]
    [TestCase("namespaces/any/ConfigMap/a.yaml", false)]
    public void Contains_OnlyTheFoldersOfTheRulesKindsAndNamespaces(string path, bool owned)
    {
        var paths = new OwnedPaths("clusters/prod");
        paths.AddEveryNamespace(ConfigMaps);
        paths.AddNamespace("team-a", Gadgets);
        paths.AddClusterScoped(ClusterRoles);

        paths.Contains(path).Should().Be(owned);
    }
}
