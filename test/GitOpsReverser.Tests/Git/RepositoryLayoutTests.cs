using GitOpsReverser.Git;
using GitOpsReverser.Manifests;

namespace GitOpsReverser.Tests.Git;

public sealed class RepositoryLayoutTests
{
    [TestCase("v1", "ConfigMap", "production", "app-config", "", "namespaces/production/ConfigMap/app-config.yaml")]
    [TestCase("rbac.authorization.k8s.io/v1", "ClusterRole", null, "system:aggregate-to-view", "", "cluster-scoped/ClusterRole/system%3Aaggregate-to-view.yaml")]
    [TestCase("apps/v1", "Deployment", "shop", "web", "clusters/prod", "clusters/prod/namespaces/shop/Deployment/web.yaml")]
    [TestCase("autoscaling/v2", "HorizontalPodAutoscaler", "shop", "web", "/clusters/prod/", "clusters/prod/namespaces/shop/HorizontalPodAutoscaler/web.yaml")]
    [TestCase("cert-manager.io/v1", "Certificate", "shop", "tls", "", "namespaces/shop/Certificate.cert-manager.io/tls.yaml")]
    [TestCase("acme.example.com/v1", "Certificate", "shop", "tls", "", "namespaces/shop/Certificate.acme.example.com/tls.yaml")]
    [TestCase("gateway.networking.k8s.io/v1", "Gateway", "edge", "main", "", "namespaces/edge/Gateway/main.yaml")]
    [TestCase("cluster.x-k8s.io/v1beta1", "Cluster", "capi", "c1", "", "namespaces/capi/Cluster.cluster.x-k8s.io/c1.yaml")]
    public void PathFor_Object_FollowsTheLayout(string apiVersion, string kind, string? ns, string name, string baseFolder, string path) =>
        new RepositoryLayout(baseFolder).PathFor(new ObjectIdentity(apiVersion, kind, ns, name)).Should().Be(path);

    [TestCase("../outside")]
    [TestCase("a/../../b")]
    [TestCase("a//b")]
    [TestCase("./a")]
    [TestCase("a\\b")]
    [TestCase(".git/hooks")]
    public void RepositoryLayout_BaseFolderThatCouldEscape_IsRefused(string baseFolder)
    {
        var act = () => new RepositoryLayout(baseFolder);

        act.Should().Throw<ArgumentException>().WithMessage("base folder*");
    }
}
