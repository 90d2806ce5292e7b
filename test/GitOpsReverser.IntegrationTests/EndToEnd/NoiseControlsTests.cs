using GitOpsReverser.IntegrationTests.TestSupport;

namespace GitOpsReverser.IntegrationTests.EndToEnd;

/// <summary>
/// Noise a rule switches off, with the operator as a process, KubeSim and real kubectl: <c>objectSelector</c>
/// captures only the objects whose labels it matches, and an object that stops matching leaves Git.
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
}
