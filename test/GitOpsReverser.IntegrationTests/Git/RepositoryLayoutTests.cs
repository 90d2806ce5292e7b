using GitOpsReverser.Git.Clone;
using GitOpsReverser.Git.Layout;
using GitOpsReverser.Manifests;

namespace GitOpsReverser.IntegrationTests.Git;

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
    [TestCase(".GIT/hooks")]
    [TestCase("a/.Git")]
    [TestCase(".gitmodules/x")]
    [TestCase("git~1/x")]
    [TestCase(".git./x")]
    [TestCase(".git::$INDEX_ALLOCATION/x")]
    [TestCase(".g\u200cit/x")]
    [TestCase("a/con/b")]
    [TestCase("a/b.")]
    [TestCase("a b")]
    public void RepositoryLayout_BaseFolderThatCouldEscapeOrThatGitRefuses_IsRefused(string baseFolder)
    {
        var act = () => new RepositoryLayout(System.Text.RegularExpressions.Regex.Unescape(baseFolder));

        act.Should().Throw<ArgumentException>().WithMessage("base folder*it must be a relative path of plain folder names*");
    }

    [Test]
    public void RepositoryLayout_APartOver255Characters_IsRefused()
    {
        var act = () => new RepositoryLayout("audit/" + new string('a', 5000));

        act.Should().Throw<ArgumentException>().WithMessage("base folder is longer than 1024 characters*");
        ((Action)(() => new RepositoryLayout("audit/" + new string('a', 256)))).Should().Throw<ArgumentException>().WithMessage("*has a part over 255 characters*");
        ((Action)(() => new RepositoryLayout("audit/" + new string('a', 255)))).Should().NotThrow();
    }

    /// <summary>Each base folder the layout accepts makes a tree that <c>git fsck --strict</c> passes and git checks out.</summary>
    [TestCase("clusters/prod")]
    [TestCase("a.b/c_d/e-f")]
    [TestCase("git/x")]
    [TestCase("x.git/y")]
    [Category("Integration")]
    public void RepositoryLayout_AnAcceptedBaseFolder_PassesGitFsckStrict_AndChecksOut(string baseFolder)
    {
        using var temp = new TempDirectory();
        var path = new RepositoryLayout(baseFolder).PathFor(new ObjectIdentity("v1", "ConfigMap", "ns", "cm"));
        using (var clone = LocalClone.Open(temp.Combine("clone.git"), "/nonexistent", "main"))
        {
            clone.Tree.Set(path, clone.WriteBlob("data: {}\n"u8.ToArray()));
            var signature = new LibGit2Sharp.Signature("t", "t@example.com", DateTimeOffset.UnixEpoch);
            clone.Commit("layout", signature, signature);
        }

        GitCli.Run(temp.Combine("clone.git"), "fsck", "--strict");
        GitCli.Run(temp.Path, "clone", "--quiet", temp.Combine("clone.git"), temp.Combine("checkout"));
        File.Exists(Path.Combine(temp.Combine("checkout"), path)).Should().BeTrue();
    }
}
