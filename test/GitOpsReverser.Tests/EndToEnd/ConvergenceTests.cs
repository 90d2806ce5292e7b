using GitOpsReverser.Tests.TestSupport;

namespace GitOpsReverser.Tests.EndToEnd;

/// <summary>
/// Startup convergence: a restart with nothing changed makes no commit; changes made while the operator
/// was down (deletions included) arrive as one [RESYNC] commit; files outside the rules' paths are never
/// touched; a namespace that stops matching is no longer followed and its files stay.
/// </summary>
[Category("Integration")]
public sealed class ConvergenceTests
{
    [Test]
    public async Task Restart_NothingChangedMakesNoCommit_ChangesWhileDownMakeOneResyncCommit()
    {
        await using var bed = await OperatorTestbed.StartAsync();
        (await bed.KubectlAsync("create namespace apps")).ShouldSucceed();
        (await bed.KubectlAsync("label namespace apps capture=yes")).ShouldSucceed();
        (await bed.KubectlAsync("create configmap kept -n apps --from-literal=a=1")).ShouldSucceed();
        (await bed.KubectlAsync("create configmap changed -n apps --from-literal=a=1")).ShouldSucceed();
        (await bed.KubectlAsync("create configmap removed -n apps --from-literal=a=1")).ShouldSucceed();
        (await bed.ApplyAsync(bed.RepoConfig())).ShouldSucceed();
        (await bed.ApplyAsync(OperatorTestbed.ConfigMapRule)).ShouldSucceed();
        await bed.StartOperatorAsync();
        (await bed.CommitAsync(2)).Should().StartWith("[RESYNC] 3 changes");
        await bed.StopOperatorAsync();

        await bed.StartOperatorAsync();
        await Task.Delay(2000);
        GitCli.Log(bed.Remote).Should().HaveCount(2, "a restart with nothing changed makes no commit");
        await bed.StopOperatorAsync();

        (await bed.KubectlAsync("delete configmap removed -n apps")).ShouldSucceed();
        (await bed.KubectlAsync("""patch configmap changed -n apps -p '{"data":{"a":"2"}}'""")).ShouldSucceed();
        (await bed.KubectlAsync("create configmap added -n apps --from-literal=a=1")).ShouldSucceed();
        await bed.StartOperatorAsync();
        (await bed.CommitsAsync(3)).Should().HaveCount(3);
        GitCli.Run(bed.Remote, "log", "-1", "--format=%B", "main").TrimEnd().Should().Be(
            "[RESYNC] 3 changes\n\n" +
            "- [CREATE] ConfigMap/added in ns/apps by manager/kubectl-create\n" +
            "- [UPDATE] ConfigMap/changed in ns/apps by manager/kubectl-patch\n" +
            "- [DELETE] ConfigMap/removed in ns/apps");
        var expected = await ClusterMirror.ExpectedAsync(bed.Http, "api/v1/namespaces/apps/configmaps", "v1", "ConfigMap");
        ClusterMirror.Differences(bed.Remote, "namespaces/", expected).Should().BeEmpty();
        bed.Show("README.md").Should().Be("# Audit trail\n");
        bed.Show("other-team/notes.yaml").Should().Be("owner: other-team\n");

        // A namespace that stops matching is no longer followed; its files stay.
        (await bed.KubectlAsync("label namespace apps capture-")).ShouldSucceed();
        await bed.WaitForReadyAsync("watchrule", OperatorTestbed.OperatorNamespace, "configs", "True");
        await Task.Delay(1000);
        (await bed.KubectlAsync("delete configmap kept -n apps")).ShouldSucceed();
        await Task.Delay(2500);
        GitCli.Log(bed.Remote).Should().HaveCount(3);
        bed.Files().Should().Contain("namespaces/apps/ConfigMap/kept.yaml");
    }

    [Test]
    public async Task DamagedClone_IsMovedAsideAfterTwoFailures_AndTheChangeArrivesThroughAResync()
    {
        await using var bed = await OperatorTestbed.StartAsync();
        await bed.CaptureConfigMapsAsync("apps");
        await bed.StartOperatorAsync();
        (await bed.KubectlAsync("create configmap first -n apps --from-literal=a=1")).ShouldSucceed();
        (await bed.CommitAsync(2)).Should().Be("[CREATE] ConfigMap/first in ns/apps by manager/kubectl-create");

        // A damaged clone: the next commit fails inside the worker.
        var clone = Directory.GetDirectories(Path.Combine(bed.DataDirectory, "repos")).Single();
        Directory.Delete(Path.Combine(clone, "objects"), recursive: true);
        (await bed.KubectlAsync("create configmap second -n apps --from-literal=a=2")).ShouldSucceed();

        (await bed.CommitAsync(3)).Should().StartWith("[RESYNC] 1 change");
        bed.Show("namespaces/apps/ConfigMap/second.yaml").Should().Contain("a: \"2\"");
        bed.Operator!.Output.Should().Contain("the Git worker stopped on an error; starting it again after a pause")
            .And.Contain("the local clone failed twice in a row and was moved to");
        ClusterMirror.HistoryProblems(bed.Remote).Should().BeEmpty();
    }
}
