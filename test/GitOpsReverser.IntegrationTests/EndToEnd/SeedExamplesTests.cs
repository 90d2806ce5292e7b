using GitOpsReverser.IntegrationTests.TestSupport;

namespace GitOpsReverser.IntegrationTests.EndToEnd;

/// <summary>
/// The README's examples (deploy/examples) as written, with the operator as a real process, KubeSim,
/// real kubectl and real git: every kubectl verb makes exactly one commit with the seed layout and
/// message; status, excluded labels, excluded field managers and unselected namespaces make none.
/// </summary>
[Category("Integration")]
public sealed class SeedExamplesTests
{
    private static string Example(string name) => Path.Combine(Kubectl.RepositoryRoot, "deploy", "examples", name);

    [Test]
    public async Task ReadmeExamples_EachKubectlVerb_MakesExactlyOneCommit()
    {
        await using var bed = await OperatorTestbed.StartAsync();
        var teamRemote = GitCli.InitBare(bed.Temp.Combine("team-a.git"));
        foreach (var ns in new[] { "audited", "quiet", "prod", "team-a" })
        {
            (await bed.KubectlAsync($"create namespace {ns}")).ShouldSucceed();
        }

        (await bed.KubectlAsync("label namespace audited audit=enabled")).ShouldSucceed();
        (await bed.KubectlAsync("label namespace prod env=production")).ShouldSucceed();
        (await bed.ApplyAsync(bed.RepoConfig())).ShouldSucceed();
        (await bed.KubectlAsync($"apply -f {Example("audited-configmaps.yaml")}")).ShouldSucceed();
        (await bed.KubectlAsync($"apply -f {Example("production-everything.yaml")}")).ShouldSucceed();
        (await bed.KubectlAsync("create secret generic team-a-repo-credentials -n team-a --from-literal=username=team-a --from-literal=password=unused")).ShouldSucceed();
        var teamExample = (await File.ReadAllTextAsync(Example("team-secrets-and-configmaps.yaml")))
            .Replace("https://git.example.com/team-a/config-audit.git", teamRemote, StringComparison.Ordinal);
        (await bed.ApplyAsync(teamExample)).ShouldSucceed();
        await bed.StartOperatorAsync();
        await bed.WaitForReadyAsync("watchrule", OperatorTestbed.OperatorNamespace, "audited-configmaps", "True");
        await bed.WaitForReadyAsync("watchrule", "team-a", "secrets-and-configmaps", "True");
        var commits = GitCli.Log(bed.Remote).Count;

        // create, edit, apply (create and configure), patch, delete: one commit each.
        (await bed.KubectlAsync("create configmap app -n audited --from-literal=key=one")).ShouldSucceed();
        (await bed.CommitAsync(++commits)).Should().Be("[CREATE] ConfigMap/app in ns/audited by manager/kubectl-create");
        bed.Files().Should().Contain("namespaces/audited/ConfigMap/app.yaml");
        bed.Show("namespaces/audited/ConfigMap/app.yaml").Should().Contain("key: one").And.NotContain("resourceVersion").And.NotContain("uid:");

        (await bed.KubectlAsync("create configmap not-audited -n quiet --from-literal=key=one")).ShouldSucceed();
        var editor = bed.Script("editor.sh", "sed -i 's/key: one/key: edited/' \"$1\"");
        (await bed.KubectlAsync("edit configmap app -n audited", new Dictionary<string, string> { ["EDITOR"] = editor })).ShouldSucceed();
        (await bed.CommitAsync(++commits)).Should().Be("[UPDATE] ConfigMap/app in ns/audited by manager/kubectl-edit",
            "the ConfigMap in the unselected namespace made no commit");
        bed.Show("namespaces/audited/ConfigMap/app.yaml").Should().Contain("key: edited");

        const string Applied = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: applied, namespace: audited}\ndata: {mode: first}\n";
        (await bed.ApplyAsync(Applied)).ShouldSucceed();
        (await bed.CommitAsync(++commits)).Should().Be("[CREATE] ConfigMap/applied in ns/audited by manager/kubectl-client-side-apply");
        (await bed.ApplyAsync(Applied.Replace("first", "second", StringComparison.Ordinal))).ShouldSucceed();
        (await bed.CommitAsync(++commits)).Should().Be("[UPDATE] ConfigMap/applied in ns/audited by manager/kubectl-client-side-apply");
        bed.Show("namespaces/audited/ConfigMap/applied.yaml").Should().Contain("mode: second").And.NotContain("last-applied-configuration");

        (await bed.KubectlAsync("""patch configmap app -n audited -p '{"data":{"key":"patched"}}'""")).ShouldSucceed();
        (await bed.CommitAsync(++commits)).Should().Be("[UPDATE] ConfigMap/app in ns/audited by manager/kubectl-patch");

        (await bed.KubectlAsync("delete configmap app -n audited")).ShouldSucceed();
        (await bed.CommitAsync(++commits)).Should().Be("[DELETE] ConfigMap/app in ns/audited");
        bed.Files().Should().NotContain("namespaces/audited/ConfigMap/app.yaml");

        // Everything in production: a Deployment is captured; its status, an excluded label and
        // Argo CD's own write are not.
        const string Deployment = """
            apiVersion: apps/v1
            kind: Deployment
            metadata: {name: web, namespace: prod}
            spec:
              replicas: 2
              selector: {matchLabels: {app: web}}
              template:
                metadata: {labels: {app: web}}
                spec: {containers: [{name: web, image: nginx:1.27}]}
            """;
        (await bed.ApplyAsync(Deployment)).ShouldSucceed();
        (await bed.CommitAsync(++commits)).Should().Be("[CREATE] Deployment/web in ns/prod by manager/kubectl-client-side-apply");
        (await bed.KubectlAsync("""patch deployment web -n prod --subresource=status --type=merge -p '{"status":{"replicas":2,"readyReplicas":2}}'""")).ShouldSucceed();
        (await bed.ApplyAsync("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: ignored, namespace: prod, labels: {configbutler.ai/ignore: \"true\"}}\ndata: {a: b}\n")).ShouldSucceed();
        (await bed.KubectlAsync("create configmap synced -n prod --from-literal=source=git")).ShouldSucceed();
        (await bed.CommitAsync(++commits)).Should().Be("[CREATE] ConfigMap/synced in ns/prod by manager/kubectl-create");
        (await bed.KubectlAsync("""patch configmap synced -n prod --field-manager=argocd-controller -p '{"data":{"source":"argo"}}'""")).ShouldSucceed();
        (await bed.KubectlAsync("create configmap marker -n prod --from-literal=a=b")).ShouldSucceed();
        (await bed.CommitAsync(++commits)).Should().Be("[CREATE] ConfigMap/marker in ns/prod by manager/kubectl-create",
            "the status update, the excluded label and Argo CD's write made no commit");

        // The team's Secret, fingerprinted, in the team's own repository.
        (await bed.KubectlAsync("create secret generic db -n team-a --from-literal=password=hunter2")).ShouldSucceed();
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!GitCli.Run(teamRemote, "for-each-ref").Contains("refs/heads/main", StringComparison.Ordinal)
               || !GitCli.Files(teamRemote).Contains("namespaces/team-a/Secret/db.yaml"))
        {
            DateTime.UtcNow.Should().BeBefore(deadline, bed.Operator!.Output);
            await Task.Delay(100);
        }

        var secret = GitCli.Show(teamRemote, "main", "namespaces/team-a/Secret/db.yaml");
        secret.Should().Contain("password: hmac-sha256:").And.NotContain("hunter2").And.NotContain("aHVudGVyMg");
        GitCli.Log(teamRemote)[0].Should().Be("[CREATE] Secret/db in ns/team-a by manager/kubectl-create");

        await Task.Delay(1500);
        GitCli.Log(bed.Remote).Should().HaveCount(commits, "nothing else was committed");
        bed.Show("README.md").Should().Be("# Audit trail\n");
        bed.Files().Should().Contain("other-team/notes.yaml");
    }

    [Test]
    public async Task ClusterRbacExample_CapturesClusterScopedKinds()
    {
        await using var bed = await OperatorTestbed.StartAsync();
        (await bed.ApplyAsync(bed.RepoConfig())).ShouldSucceed();
        (await bed.KubectlAsync($"apply -f {Example("cluster-rbac.yaml")}")).ShouldSucceed();
        await bed.StartOperatorAsync();
        await bed.WaitForReadyAsync("clusterwatchrule", null, "cluster-rbac", "True");

        // The namespaces people made before the start arrive with the first sync, each its own commit; the API
        // server's own namespaces (clusterDefaults) and bootstrap RBAC are left out, as the rule includes neither.
        (await bed.CommitsAsync(2)).Should().Equal("[CREATE] Namespace/gitops-reverser-system by manager/kubectl-create", OperatorTestbed.SeedCommit);
        bed.Files().Should().Contain("cluster-scoped/Namespace/gitops-reverser-system.yaml")
            .And.NotContain(file => file.Contains("ClusterRole", StringComparison.Ordinal) || file.StartsWith("cluster-scoped/Namespace/kube-", StringComparison.Ordinal)
                || file == "cluster-scoped/Namespace/default.yaml");

        (await bed.ApplyAsync("""
            apiVersion: rbac.authorization.k8s.io/v1
            kind: ClusterRole
            metadata: {name: config-reader}
            rules: [{apiGroups: [""], resources: [configmaps], verbs: [get, list]}]
            """)).ShouldSucceed();
        (await bed.CommitAsync(3)).Should().Be("[CREATE] ClusterRole/config-reader by manager/kubectl-client-side-apply");
        bed.Show("cluster-scoped/ClusterRole/config-reader.yaml").Should().Contain("- configmaps");
        (await bed.KubectlAsync("create namespace added-later")).ShouldSucceed();
        (await bed.CommitAsync(4)).Should().Be("[CREATE] Namespace/added-later by manager/kubectl-create");
        (await bed.KubectlAsync("delete clusterrole config-reader")).ShouldSucceed();
        (await bed.CommitAsync(5)).Should().Be("[DELETE] ClusterRole/config-reader");
    }
}
