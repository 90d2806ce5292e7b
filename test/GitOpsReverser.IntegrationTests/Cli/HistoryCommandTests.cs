using GitOpsReverser.IntegrationTests.TestSupport;

namespace GitOpsReverser.IntegrationTests.Cli;

/// <summary>
/// <c>gitops-reverser history</c>, the real binary, over a repository the operator (a real process, against KubeSim
/// and real kubectl) wrote: each commit that changed one object, newest first, and with <c>-p</c> the change.
/// </summary>
[Category("Integration")]
public sealed class HistoryCommandTests
{
    [Test]
    public async Task History_ListsEachChangeOfOneObject_NewestFirst_AlsoAfterItWasDeleted_AndPatchShowsTheChange()
    {
        await using var bed = await OperatorTestbed.StartAsync();
        await bed.CaptureConfigMapsAsync("shop");
        await bed.StartOperatorAsync();
        await bed.WaitForReadyAsync("watchrule", OperatorTestbed.OperatorNamespace, "configs", "True");
        (await bed.KubectlAsync("create configmap app-config -n shop --from-literal=mode=slow")).ShouldSucceed();
        (await bed.KubectlAsync("create configmap other -n shop --from-literal=mode=slow")).ShouldSucceed();
        await bed.CommitsAsync(3);
        (await bed.KubectlAsync("patch configmap app-config -n shop --type=merge -p {\"data\":{\"mode\":\"fast\"}}")).ShouldSucceed();
        await bed.CommitsAsync(4);
        (await bed.KubectlAsync("delete configmap app-config -n shop")).ShouldSucceed();
        await bed.CommitsAsync(5);
        var clone = bed.Temp.Combine("clone");
        GitCli.Run(bed.Temp.Path, "clone", "--quiet", bed.Remote, clone);

        var (exitCode, stdout, stderr) = await CliProcess.RunAsync($"history configmap/app-config -n shop --repo {clone}");

        exitCode.Should().Be(0, stderr);
        var lines = stdout.TrimEnd('\n').Split('\n');
        lines[0].Should().Be("namespaces/shop/ConfigMap/app-config.yaml: 3 commit(s)");
        lines.Skip(1).Select(line => line.Split("  ", StringSplitOptions.RemoveEmptyEntries)[1].Trim()).Should().Equal("DELETE", "UPDATE", "CREATE");
        lines[1].Should().MatchRegex(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ  DELETE  unknown  +[0-9a-f]{12}  \[DELETE\] ConfigMap/app-config in ns/shop$");
        lines[2].Should().Contain("  manager/kubectl-patch  ").And.EndWith("[UPDATE] ConfigMap/app-config in ns/shop by manager/kubectl-patch");
        lines[3].Should().Contain("  manager/kubectl-create  ");
        stdout.Should().NotContain("ConfigMap/other");

        // Its defaults: the clone is the current folder.
        (await CliProcess.RunInAsync(clone, "history configmap/app-config -n shop")).Stdout.Should().Be(stdout);

        var (patchExit, patched, _) = await CliProcess.RunAsync($"history ConfigMap/app-config --namespace shop --repo {clone} -p");
        patchExit.Should().Be(0);
        patched.Should().Contain("-  mode: slow\n+  mode: fast\n");

        var (missingExit, _, missing) = await CliProcess.RunAsync($"history ConfigMap/never -n shop --repo {clone}");
        missingExit.Should().Be(3);
        missing.Should().Contain("ConfigMap/never in namespace shop was never in this repository's HEAD");
        var (notARepository, _, refused) = await CliProcess.RunAsync($"history ConfigMap/app-config -n shop --repo {bed.Temp.Combine("nothing-here")}");
        notARepository.Should().Be(1);
        refused.Should().Contain("not a Git repository");
    }
}
