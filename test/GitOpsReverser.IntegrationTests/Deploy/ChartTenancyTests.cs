using GitOpsReverser.IntegrationTests.TestSupport;

namespace GitOpsReverser.IntegrationTests.Deploy;

/// <summary>
/// The chart's tenancy, installed with the real Helm into KubeSim and tried with service-account tokens, whose
/// requests RBAC decides: the built-in <c>admin</c> and <c>edit</c> roles manage GitRepoConfigs and WatchRules in
/// their namespace through the chart's aggregated ClusterRoles, <c>view</c> only reads them, and nobody with them
/// touches ClusterWatchRules or another namespace.
/// </summary>
[Category("Integration")]
public sealed class ChartTenancyTests
{
    private const string Namespace = "gitops-reverser-system";

    private const string GitRepoConfig = """
        apiVersion: configbutler.ai/v1alpha1
        kind: GitRepoConfig
        metadata: {name: audit, namespace: team-a}
        spec: {url: "https://git.example.com/team-a.git"}
        """;

    [Test]
    public async Task AdminAndEdit_ManageTheResourcesInTheirNamespace_ViewOnlyReadsThem()
    {
        await using var bed = await OperatorTestbed.StartAsync(installCrds: false);
        var helm = new Helm(bed.KubeconfigPath, bed.Temp.Combine("helm"));
        (await helm.RunAsync("install", "gitops-reverser", Helm.Chart, "-n", Namespace, "--create-namespace")).ShouldSucceed();
        (await bed.KubectlAsync("create namespace team-a")).ShouldSucceed();
        (await bed.KubectlAsync("create namespace team-b")).ShouldSucceed();
        var editor = await AccountAsync(bed, "editor", "edit");
        var admin = await AccountAsync(bed, "lead", "admin");
        var viewer = await AccountAsync(bed, "auditor", "view");

        (await editor.RunAsync("apply -f -", GitRepoConfig)).ShouldSucceed();
        (await admin.RunAsync("apply -f -", GitRepoConfig.Replace("audit", "lead", StringComparison.Ordinal))).ShouldSucceed();
        (await viewer.RunAsync("get gitrepoconfigs -n team-a -o name")).ShouldSucceed().Output.Should().Contain("gitrepoconfig.configbutler.ai/audit");

        (await viewer.RunAsync("apply -f -", GitRepoConfig.Replace("audit", "viewer", StringComparison.Ordinal))).Error.Should().Contain("forbidden");
        (await editor.RunAsync("apply -f -", GitRepoConfig.Replace("team-a", "team-b", StringComparison.Ordinal))).Error
            .Should().Contain("forbidden", "a RoleBinding grants its own namespace only");
        (await admin.RunAsync("get clusterwatchrules")).Error.Should().Contain("forbidden", "ClusterWatchRules stay cluster-admin's");
        (await editor.RunAsync("patch gitrepoconfig audit -n team-a --subresource=status --type=merge -p {\"status\":{\"url\":\"x\"}}")).Error
            .Should().Contain("forbidden", "the status is the operator's");
    }

    [Test]
    public async Task TheNetworkPolicy_AdmitsEachPortFromItsOwnSources()
    {
        using var temp = new TempDirectory();
        var helm = new Helm(temp.Combine("none"), temp.Combine("helm"));

        var rendered = (await helm.RunAsync("template", "gitops-reverser", Helm.Chart, "-n", Namespace, "--set", "networkPolicy.enabled=true",
            "--set", "attribution.enabled=true", "--set", "networkPolicy.webhookFrom[0].ipBlock.cidr=10.0.0.0/24",
            "--show-only", "templates/networkpolicy.yaml")).ShouldSucceed().Output;

        rendered.Should().Contain("policyTypes: [Ingress]").And.Contain("{port: metrics, protocol: TCP}").And.Contain("{port: health, protocol: TCP}")
            .And.Contain("{port: webhook, protocol: TCP}").And.Contain("cidr: 10.0.0.0/24");
        (await helm.RunAsync("template", "gitops-reverser", Helm.Chart, "--show-only", "templates/networkpolicy.yaml")).Error
            .Should().Contain("could not find template", "the NetworkPolicy is off by default");
    }

    // A service account bound to the built-in ClusterRole <role> in team-a, and kubectl with its token.
    private static async Task<Kubectl> AccountAsync(OperatorTestbed bed, string name, string role)
    {
        (await bed.KubectlAsync($"create serviceaccount {name} -n team-a")).ShouldSucceed();
        (await bed.KubectlAsync($"create rolebinding {name} -n team-a --clusterrole={role} --serviceaccount=team-a:{name}")).ShouldSucceed();
        var token = (await bed.KubectlAsync($"create token {name} -n team-a")).ShouldSucceed().Output.Trim();
        var kubeconfig = bed.Temp.Combine($"kubeconfig-{name}");
        await File.WriteAllTextAsync(kubeconfig, bed.Sim.Kubeconfig(token));
        return new Kubectl(Kubectl.Installed, kubeconfig, bed.Temp.Combine($"cache-{name}"));
    }
}
