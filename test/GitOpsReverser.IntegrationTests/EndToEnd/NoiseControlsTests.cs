using GitOpsReverser.IntegrationTests.TestSupport;

namespace GitOpsReverser.IntegrationTests.EndToEnd;

/// <summary>
/// Noise a rule switches off, with the operator as a process, KubeSim and real kubectl: <c>objectSelector</c>
/// captures only the objects whose labels it matches, and an object that stops matching leaves Git;
/// <c>ignoreFields</c> leaves out what an HPA scales, while a person's change to the same Deployment is a commit.
/// </summary>
[Category("Integration")]
public sealed class NoiseControlsTests
{
    [Test]
    public async Task AnObjectSelector_CapturesOnlyWhatItMatches_AndAnObjectThatStopsMatchingLeavesGit()
    {
        await using var bed = await OperatorTestbed.StartAsync();
        await bed.CaptureConfigMapsAsync("shop");
        (await bed.ApplyAsync(OperatorTestbed.ConfigMapRule + "\n  objectSelector: {matchLabels: {audit: \"on\"}}\n")).ShouldSucceed();
        (await bed.KubectlAsync("create configmap audited -n shop --from-literal=n=1")).ShouldSucceed();
        (await bed.KubectlAsync("label configmap audited -n shop audit=on")).ShouldSucceed();
        (await bed.KubectlAsync("create configmap ignored -n shop --from-literal=n=1")).ShouldSucceed();
        await bed.StartOperatorAsync();
        await bed.WaitForReadyAsync("watchrule", OperatorTestbed.OperatorNamespace, "configs", "True");

        (await bed.CommitAsync(2)).Should().StartWith("[CREATE] ConfigMap/audited in ns/shop");
        (await bed.KubectlAsync("label configmap ignored -n shop audit=on")).ShouldSucceed();
        (await bed.CommitAsync(3)).Should().Be("[CREATE] ConfigMap/ignored in ns/shop by manager/kubectl-label");
        (await bed.KubectlAsync("label configmap audited -n shop audit-")).ShouldSucceed();
        (await bed.CommitAsync(4)).Should().Be("[DELETE] ConfigMap/audited in ns/shop");

        bed.Files().Where(file => file.StartsWith("namespaces/shop/", StringComparison.Ordinal)).Should().Equal("namespaces/shop/ConfigMap/ignored.yaml");
        (await bed.KubectlAsync("get watchrule configs -n gitops-reverser-system -o jsonpath={.spec.objectSelector.matchLabels.audit}")).Output.Should().Be("on");
    }

    [Test]
    public async Task IgnoreFields_AnHpaScalingADeployment_IsNoCommit_APersonChangingItsImageIs_AndAnEntryThatMatchesNothingIsReported()
    {
        await using var bed = await OperatorTestbed.StartAsync();
        (await bed.KubectlAsync("create namespace shop")).ShouldSucceed();
        (await bed.KubectlAsync("label namespace shop capture=yes")).ShouldSucceed();
        (await bed.ApplyAsync(bed.RepoConfig())).ShouldSucceed();
        (await bed.ApplyAsync("""
            apiVersion: configbutler.ai/v1alpha1
            kind: WatchRule
            metadata: {name: deployments, namespace: gitops-reverser-system}
            spec:
              gitRepoConfigRef: audit
              resources: [{apiVersion: apps/v1, kind: Deployment}]
              namespaceSelector: {matchLabels: {capture: "yes"}}
              ignoreFields:
                - {group: apps, kind: Deployment, managers: [kube-controller-manager]}
                - {kind: ConfigMap, jsonPointers: [/data/unused]}
            """)).ShouldSucceed();
        (await bed.KubectlAsync("create deployment web -n shop --image=nginx:1.27")).ShouldSucceed();
        await bed.StartOperatorAsync();
        await bed.WaitForReadyAsync("watchrule", OperatorTestbed.OperatorNamespace, "deployments", "True");
        (await bed.CommitAsync(2)).Should().Be("[CREATE] Deployment/web in ns/shop by manager/kubectl-create");

        // The HPA writes spec.replicas through the scale subresource, as kube-controller-manager.
        (await bed.KubectlAsync("patch deployment web -n shop --subresource=scale --type=merge -p {\"spec\":{\"replicas\":5}} --field-manager=kube-controller-manager")).ShouldSucceed();
        (await bed.KubectlAsync("get deployment web -n shop -o jsonpath={.spec.replicas}")).Output.Should().Be("5");
        (await bed.KubectlAsync("set image deployment/web -n shop nginx=nginx:1.28")).ShouldSucceed();

        // Events of one object arrive in order: had the scaling made a commit, it would be this one.
        (await bed.CommitAsync(3)).Should().Be("[UPDATE] Deployment/web in ns/shop by manager/kubectl-set");
        var file = bed.Show("namespaces/shop/Deployment/web.yaml");
        file.Should().Contain("image: nginx:1.28").And.NotContain("replicas:");

        (await bed.KubectlAsync("get watchrule deployments -n gitops-reverser-system -o jsonpath={.status.ignoreFieldsUnmatched}")).Output
            .Should().Be("[\"core/ConfigMap: /data/unused\"]", "the rule captures no ConfigMap: the entry matched nothing, the other did");
    }
}
