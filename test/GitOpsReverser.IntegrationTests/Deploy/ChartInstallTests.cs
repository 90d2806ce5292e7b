using System.Text.Json.Nodes;
using GitOpsReverser.IntegrationTests.TestSupport;

namespace GitOpsReverser.IntegrationTests.Deploy;

/// <summary><c>helm install</c>, <c>upgrade</c> and <c>uninstall</c> of the chart into KubeSim with the real Helm 4, as the README tells users to.</summary>
[Category("Integration")]
public sealed class ChartInstallTests
{
    private const string Namespace = "gitops-reverser-system";

    [Test]
    public async Task InstallUpgradeUninstall_CreateUpdateAndRemoveTheRelease_KeepingTheFingerprintKey()
    {
        await using var bed = await OperatorTestbed.StartAsync(installCrds: false);
        var helm = new Helm(bed.KubeconfigPath, bed.Temp.Combine("helm"));

        var typo = await helm.RunAsync("install", "gitops-reverser", Helm.Chart, "-n", Namespace, "--create-namespace", "--set", "replicaCount=two");
        typo.ExitCode.Should().NotBe(0);
        typo.Error.Should().Contain("at '/replicaCount': got string, want integer");

        var install = (await helm.RunAsync("install", "gitops-reverser", Helm.Chart, "-n", Namespace, "--create-namespace")).ShouldSucceed();
        install.Output.Should().Contain("kubectl create secret generic audit-repo-credentials -n gitops-reverser-system")
            .And.Contain("kind: GitRepoConfig").And.Contain("kind: WatchRule").And.Contain("kubectl get gitrepoconfigs,watchrules -A",
                "NOTES.txt tells the next steps");

        (await bed.KubectlAsync("get crd gitrepoconfigs.configbutler.ai watchrules.configbutler.ai clusterwatchrules.configbutler.ai")).ShouldSucceed();
        (await bed.KubectlAsync($"get serviceaccount/gitops-reverser deployment/gitops-reverser service/gitops-reverser-metrics role/gitops-reverser rolebinding/gitops-reverser secret/gitops-reverser-fingerprint-key -n {Namespace}")).ShouldSucceed();
        (await bed.KubectlAsync("get clusterrole/gitops-reverser clusterrolebinding/gitops-reverser")).ShouldSucceed();
        (await bed.KubectlAsync($"get poddisruptionbudget -n {Namespace} -o name")).Output.Should().BeEmpty("the PodDisruptionBudget is off by default");
        var key = await FingerprintKeyAsync(bed);

        (await helm.RunAsync("upgrade", "gitops-reverser", Helm.Chart, "-n", Namespace, "--set", "replicaCount=2", "--set", "podDisruptionBudget.enabled=true")).ShouldSucceed();

        var deployment = JsonNode.Parse((await bed.KubectlAsync($"get deployment gitops-reverser -n {Namespace} -o json")).ShouldSucceed().Output)!;
        ((int)deployment["spec"]!["replicas"]!).Should().Be(2);
        (await bed.KubectlAsync($"get poddisruptionbudget gitops-reverser -n {Namespace}")).ShouldSucceed();
        (await FingerprintKeyAsync(bed)).Should().Be(key, "an upgrade keeps the key, or every Secret's fingerprint would change");
        (await helm.RunAsync("list", "-n", Namespace)).Output.Should().Contain("gitops-reverser").And.Contain("deployed");

        (await helm.RunAsync("uninstall", "gitops-reverser", "-n", Namespace)).ShouldSucceed();

        (await bed.KubectlAsync($"get deployments,serviceaccounts,roles,secrets -n {Namespace} -l app.kubernetes.io/instance=gitops-reverser -o name")).Output.Should().BeEmpty();
        (await bed.KubectlAsync("get clusterrole gitops-reverser")).Error.Should().Contain("NotFound");
        (await bed.KubectlAsync("get crd gitrepoconfigs.configbutler.ai")).ShouldSucceed("Helm never deletes the CRDs of crds/ (nor the objects in them)");
    }

    private static async Task<string> FingerprintKeyAsync(OperatorTestbed bed) =>
        (await bed.KubectlAsync($"get secret gitops-reverser-fingerprint-key -n {Namespace} -o jsonpath={{.data.fingerprint\\.key}}")).ShouldSucceed().Output;
}
