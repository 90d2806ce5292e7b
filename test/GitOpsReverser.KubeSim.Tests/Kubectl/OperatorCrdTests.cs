using GitOpsReverser.KubeSim.Tests.Support;

namespace GitOpsReverser.KubeSim.Tests.Kubectl;

/// <summary>The operator's CRDs (deploy/crds/) install with kubectl, and their schemas refuse unknown fields.</summary>
[Category("Integration")]
public sealed class OperatorCrdTests
{
    private const string Samples = """
        apiVersion: configbutler.ai/v1alpha1
        kind: GitRepoConfig
        metadata: {name: audit-repo, namespace: default}
        spec:
          url: git@github.com:yourorg/k8s-audit.git
          branch: main
          secretRef: {name: git-credentials}
          commit:
            committer: {name: GitOps Reverser, email: bot@example.com}
            mode: Window
            window: 5s
          push: {interval: 10s, maxCommits: 20}
        ---
        apiVersion: configbutler.ai/v1alpha1
        kind: WatchRule
        metadata: {name: config-audit, namespace: default}
        spec:
          gitRepoConfigRef: audit-repo
          resources:
            - {apiVersion: v1, kind: ConfigMap}
          namespaceSelector:
            matchLabels: {audit: enabled}
          excludeLabels:
            matchExpressions:
              - {key: configbutler.ai/ignore, operator: Exists}
          operations: [CREATE, UPDATE, DELETE]
          secretPolicy: Fingerprint
          excludeFieldManagers: [argocd-controller]
        ---
        apiVersion: configbutler.ai/v1alpha1
        kind: ClusterWatchRule
        metadata: {name: everything}
        spec:
          gitRepoConfigRef: {name: audit-repo, namespace: default}
          resources:
            - {apiVersion: "*", kind: "*"}
          includeOwned: false
        """;

    [Test]
    public async Task Crds_Install_SamplesApply_AndUnknownFieldsAreRefused()
    {
        await using var sim = await RunningKubeSim.StartAsync();
        var kubectl = new TestServers.Kubectl(TestServers.Kubectl.Installed, sim.KubeconfigPath, Path.Combine(sim.Directory, "cache"));

        (await kubectl.RunAsync($"apply -f {Path.Combine(TestServers.Kubectl.RepositoryRoot, "deploy", "crds")}")).ShouldSucceed();
        (await kubectl.RunAsync("apply -f -", Samples)).ShouldSucceed().Output.Should()
            .Contain("gitrepoconfig.configbutler.ai/audit-repo created")
            .And.Contain("watchrule.configbutler.ai/config-audit created")
            .And.Contain("clusterwatchrule.configbutler.ai/everything created");
        (await kubectl.RunAsync("get watchrules,gitrepoconfigs,clusterwatchrules -A -o name")).ShouldSucceed().Output.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Should().HaveCount(3);
        (await kubectl.RunAsync("api-resources --api-group=configbutler.ai")).ShouldSucceed().Output.Should()
            .MatchRegex(@"watchrules\s+wr\s+configbutler.ai/v1alpha1\s+true\s+WatchRule")
            .And.MatchRegex(@"clusterwatchrules\s+cwr\s+configbutler.ai/v1alpha1\s+false\s+ClusterWatchRule");

        var typo = await kubectl.RunAsync("apply -f -", Samples.Replace("    matchLabels: {audit: enabled}", "    matchLabelz: {audit: enabled}", StringComparison.Ordinal));
        typo.ExitCode.Should().NotBe(0);
        typo.Error.Should().Contain("unknown field \"spec.namespaceSelector.matchLabelz\"");
    }
}
