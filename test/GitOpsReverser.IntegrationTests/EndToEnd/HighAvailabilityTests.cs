using System.Diagnostics;
using System.Globalization;
using GitOpsReverser.IntegrationTests.TestSupport;

namespace GitOpsReverser.IntegrationTests.EndToEnd;

/// <summary>
/// No gap in the history when the leader changes or restarts. Two operator processes with leader election: the
/// standby is hot, and after the leader's SIGKILL it commits, each on its own, the changes made while no process led
/// and the one the old leader committed but could not push, never one the old leader pushed (how long after the
/// SIGKILL is reported: the goal is the lease duration plus 5 s). A single replica's restart (a cold start) commits each change made while it was down, named
/// after its object and field manager. The branch always ends equal to the cluster, without a merge or a [RESYNC].
/// </summary>
[Category("Integration")]
public sealed class HighAvailabilityTests
{
    private static readonly TimeSpan LeaseDuration = TimeSpan.FromSeconds(4);

    private static Dictionary<string, string> Election(string pod) => new()
    {
        ["GITOPS_REVERSER_Operator__LeaderElection"] = "true",
        ["GITOPS_REVERSER_Operator__LeaseDuration"] = "00:00:04",
        ["GITOPS_REVERSER_Operator__RenewDeadline"] = "00:00:03",
        ["GITOPS_REVERSER_Operator__RetryPeriod"] = "00:00:01",
        ["POD_NAME"] = pod,
    };

    [Test]
    public async Task AfterTheLeadersSigkill_TheHotStandbyCommitsEachChangeOfTheGap_AndNothingTwice()
    {
        await using var bed = await OperatorTestbed.StartAsync();
        using var git = new GitHttpServer("git", "s3cret");
        var url = bed.ServeRemote(git, System.Net.IPAddress.Loopback);
        var blocked = bed.Temp.Combine("pushes-blocked");
        GitCli.WriteHook(bed.Remote, $"#!/bin/sh\nif [ -f '{blocked}' ]; then echo 'pushes are blocked' >&2; exit 1; fi\nexit 0\n");
        (await bed.KubectlAsync("create namespace apps")).ShouldSucceed();
        (await bed.KubectlAsync("label namespace apps capture=yes")).ShouldSucceed();
        (await bed.KubectlAsync($"create secret generic git -n {OperatorTestbed.OperatorNamespace} --from-literal=username=git --from-literal=password=s3cret")).ShouldSucceed();
        (await bed.ApplyAsync(bed.RepoConfig(extra: "  secretRef: {name: git}").Replace(bed.Remote, url, StringComparison.Ordinal))).ShouldSucceed();
        (await bed.ApplyAsync(OperatorTestbed.ConfigMapRule)).ShouldSucceed();
        foreach (var name in new[] { "pushed", "updated", "deleted" })
        {
            (await bed.KubectlAsync($"create configmap {name} -n apps --from-literal=v=0")).ShouldSucceed();
        }

        await using var first = OperatorProcess.Start(bed.KubeconfigPath, bed.Temp.Combine("data-a"), OperatorTestbed.OperatorNamespace, Election("operator-a"));
        await first.WaitReadyAsync();
        await WaitForAsync(() => first.Output.Contains("operator-a leads", StringComparison.Ordinal), "operator-a leads", first);
        await using var second = OperatorProcess.Start(bed.KubeconfigPath, bed.Temp.Combine("data-b"), OperatorTestbed.OperatorNamespace, Election("operator-b"));
        await second.WaitReadyAsync();
        bed.Attach(second);
        var commits = (await bed.CommitsAsync(4)).Count;

        // A change the leader pushes; then one it commits but cannot push (the server refuses pushes for now).
        (await bed.KubectlAsync("patch configmap pushed -n apps -p {\"data\":{\"v\":\"1\"}}")).ShouldSucceed();
        (await bed.CommitAsync(++commits)).Should().Be("[UPDATE] ConfigMap/pushed in ns/apps by manager/kubectl-patch");
        await File.WriteAllTextAsync(blocked, "");
        (await bed.KubectlAsync("patch configmap pushed -n apps -p {\"data\":{\"v\":\"2\"}}")).ShouldSucceed();
        await WaitForAsync(() => first.Output.Contains("pushes are blocked", StringComparison.Ordinal) || first.Output.Contains("(Rejected)", StringComparison.Ordinal),
            "the leader's push of its last commit was refused", first);

        // The leader dies; while no process leads, objects are created, updated and deleted.
        first.Kill();
        var killed = Stopwatch.StartNew();
        File.Delete(blocked);
        (await bed.KubectlAsync("create configmap created -n apps --from-literal=v=0")).ShouldSucceed();
        (await bed.KubectlAsync("patch configmap updated -n apps -p {\"data\":{\"v\":\"1\"}}")).ShouldSucceed();
        (await bed.KubectlAsync("delete configmap deleted -n apps")).ShouldSucceed();

        // How long the takeover took is reported, not asserted (the machine is shared): the goal is the lease plus 5 s.
        var before = commits;
        while (GitCli.Log(bed.Remote).Count == before)
        {
            killed.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(30), $"the standby should have committed by now; its output:\n{second.Output}");
            await Task.Delay(100);
        }

        var takeover = killed.Elapsed;
        var subjects = (await bed.CommitsAsync(before + 4)).Take(4).ToList();
        TestContext.Out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"SIGKILL of the leader to the standby's first commit on the remote: {takeover.TotalSeconds:F1} s (lease {LeaseDuration.TotalSeconds} s)"));
        subjects.Should().BeEquivalentTo(
            "[UPDATE] ConfigMap/pushed in ns/apps by manager/kubectl-patch",
            "[CREATE] ConfigMap/created in ns/apps by manager/kubectl-create",
            "[UPDATE] ConfigMap/updated in ns/apps by manager/kubectl-patch",
            "[DELETE] ConfigMap/deleted in ns/apps");
        subjects.Last().Should().Be("[UPDATE] ConfigMap/pushed in ns/apps by manager/kubectl-patch", "in the order the changes were made");
        await Task.Delay(2000);
        var all = GitCli.Log(bed.Remote);
        all.Should().NotContain(subject => subject.StartsWith("[RESYNC]", StringComparison.Ordinal));
        all.Count(subject => subject == "[UPDATE] ConfigMap/pushed in ns/apps by manager/kubectl-patch").Should().Be(2, "the pushed change is not committed twice");
        GitCli.Run(bed.Remote, "log", "-1", "--skip=3", "--format=%B", "main").Should().Contain("- Resource Version: ");
        await EqualsTheClusterAsync(bed);
        second.Output.Should().Contain("took over with");
    }

    [Test]
    public async Task ASingleReplicasRestart_CommitsEachChangeItMissed_NamedAfterItsFieldManager()
    {
        await using var bed = await OperatorTestbed.StartAsync();
        await bed.CaptureConfigMapsAsync("apps");
        (await bed.KubectlAsync("create configmap updated -n apps --from-literal=v=0")).ShouldSucceed();
        (await bed.KubectlAsync("create configmap deleted -n apps --from-literal=v=0")).ShouldSucceed();
        await bed.StartOperatorAsync(settings: Election("operator-a"));
        var commits = (await bed.CommitsAsync(3)).Count;

        // A rolling restart of the one replica: it stops, things change, it starts again.
        await bed.StopOperatorAsync();
        (await bed.KubectlAsync("create configmap created -n apps --from-literal=v=0")).ShouldSucceed();
        (await bed.KubectlAsync("patch configmap updated -n apps -p {\"data\":{\"v\":\"1\"}}")).ShouldSucceed();
        (await bed.KubectlAsync("delete configmap deleted -n apps")).ShouldSucceed();
        await bed.StartOperatorAsync(settings: Election("operator-a"));

        (await bed.CommitsAsync(commits + 3)).Take(3).Should().BeEquivalentTo(
            "[CREATE] ConfigMap/created in ns/apps by manager/kubectl-create",
            "[UPDATE] ConfigMap/updated in ns/apps by manager/kubectl-patch",
            "[DELETE] ConfigMap/deleted in ns/apps");
        await Task.Delay(1500);
        GitCli.Log(bed.Remote).Should().NotContain(subject => subject.StartsWith("[RESYNC]", StringComparison.Ordinal));
        await EqualsTheClusterAsync(bed);
    }

    private static async Task EqualsTheClusterAsync(OperatorTestbed bed)
    {
        var expected = await ClusterMirror.ExpectedAsync(bed.Http, "api/v1/namespaces/apps/configmaps", "v1", "ConfigMap");
        ClusterMirror.Differences(bed.Remote, "namespaces/", expected).Should().BeEmpty("the branch equals the cluster");
        ClusterMirror.HistoryProblems(bed.Remote).Should().BeEmpty("no merge commit, no commit that changes nothing");
        GitCli.Run(bed.Remote, "fsck", "--strict");
    }

    private static async Task WaitForAsync(Func<bool> condition, string what, OperatorProcess process)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail($"{what}: not within 30 s; output:\n{process.Output}");
            }

            await Task.Delay(100);
        }
    }
}
