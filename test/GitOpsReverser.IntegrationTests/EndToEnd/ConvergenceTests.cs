using GitOpsReverser.IntegrationTests.TestSupport;

namespace GitOpsReverser.IntegrationTests.EndToEnd;

/// <summary>
/// Startup convergence: a restart with nothing changed makes no commit; changes made while the operator
/// was down (deletions included) arrive each as its own commit, or past Operator:ColdStartCommitLimit as one
/// [RESYNC] commit; files outside the rules' paths are never touched; a namespace that stops matching is no
/// longer followed and its files stay.
/// </summary>
[Category("Integration")]
public sealed class ConvergenceTests
{
    [Test]
    public async Task Restart_NothingChangedMakesNoCommit_ChangesWhileDownAreEachTheirOwnCommit_OrPastTheLimitOneResync()
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
        (await bed.CommitsAsync(4)).Take(3).Should().Equal(
            "[CREATE] ConfigMap/removed in ns/apps by manager/kubectl-create",
            "[CREATE] ConfigMap/kept in ns/apps by manager/kubectl-create",
            "[CREATE] ConfigMap/changed in ns/apps by manager/kubectl-create");
        await bed.StopOperatorAsync();

        await bed.StartOperatorAsync();
        await Task.Delay(2000);
        GitCli.Log(bed.Remote).Should().HaveCount(4, "a restart with nothing changed makes no commit");
        await bed.StopOperatorAsync();

        (await bed.KubectlAsync("delete configmap removed -n apps")).ShouldSucceed();
        (await bed.KubectlAsync("""patch configmap changed -n apps -p '{"data":{"a":"2"}}'""")).ShouldSucceed();
        await bed.StartOperatorAsync();
        (await bed.CommitsAsync(6)).Take(2).Should().Equal(
            "[DELETE] ConfigMap/removed in ns/apps",
            "[UPDATE] ConfigMap/changed in ns/apps by manager/kubectl-patch");
        GitCli.Run(bed.Remote, "log", "-1", "--skip=1", "--format=%B", "main").Should().Contain("- Resource Version: ",
            "a change found at a start is committed as the change itself would have been");
        await bed.StopOperatorAsync();

        // Past the limit, the changes found at a start are one [RESYNC].
        (await bed.KubectlAsync("""patch configmap changed -n apps -p '{"data":{"a":"3"}}'""")).ShouldSucceed();
        (await bed.KubectlAsync("create configmap added -n apps --from-literal=a=1")).ShouldSucceed();
        await bed.StartOperatorAsync(settings: new Dictionary<string, string> { ["GITOPS_REVERSER_Operator__ColdStartCommitLimit"] = "1" });
        (await bed.CommitsAsync(7)).Should().HaveCount(7);
        GitCli.Run(bed.Remote, "log", "-1", "--format=%B", "main").TrimEnd().Should().Be(
            "[RESYNC] 2 changes\n\n" +
            "- [CREATE] ConfigMap/added in ns/apps by manager/kubectl-create\n" +
            "- [UPDATE] ConfigMap/changed in ns/apps by manager/kubectl-patch");
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
        GitCli.Log(bed.Remote).Should().HaveCount(7);
        bed.Files().Should().Contain("namespaces/apps/ConfigMap/kept.yaml");
    }

    [Test]
    public async Task DamagedClone_IsMovedAsideAfterTwoFailures_AndTheChangeArrivesThroughTheNewCloneSync()
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

        (await bed.CommitAsync(3)).Should().Be("[CREATE] ConfigMap/second in ns/apps by manager/kubectl-create");
        bed.Show("namespaces/apps/ConfigMap/second.yaml").Should().Contain("a: \"2\"");
        bed.Operator!.Output.Should().Contain("the Git worker stopped on an error; starting it again after a pause")
            .And.Contain("the local clone failed twice in a row and was moved to");
        ClusterMirror.HistoryProblems(bed.Remote).Should().BeEmpty();
    }
}
