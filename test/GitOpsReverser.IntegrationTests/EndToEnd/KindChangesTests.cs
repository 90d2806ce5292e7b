using System.Globalization;
using System.Text.Json.Nodes;
using GitOpsReverser.IntegrationTests.TestSupport;

namespace GitOpsReverser.IntegrationTests.EndToEnd;

/// <summary>
/// No gap when the set of kinds changes: CRDs installed and removed under a <c>*</c> rule while writers create and
/// patch ConfigMaps. Each new kind is listed once, by a reflector of its own; the ConfigMaps' reflector is never
/// listed again, and every change of theirs is its own commit, with no <c>[RESYNC]</c>. A rule edit likewise
/// lists only the kind it adds.
/// </summary>
[Category("Integration")]
public sealed class KindChangesTests
{
    private const int Crds = 10;

    [Test]
    public async Task CrdsInstalledAndRemoved_WhileWritersWrite_EveryChangeIsItsOwnCommit_AndOnlyNewKindsAreListed()
    {
        await using var bed = await OperatorTestbed.StartAsync();
        await bed.CaptureEverythingAsync("apps");
        await bed.StartOperatorAsync();
        await Task.Delay(1500);
        var commits = GitCli.Log(bed.Remote).Count;
        var listsBefore = await ListsAsync(bed);

        // Writers: each ConfigMap created, then patched, before and while the CRDs come and go.
        var written = 0;
        using var stop = new CancellationTokenSource();
        var writer = Task.Run(async () =>
        {
            for (var i = 0; !stop.IsCancellationRequested; i++)
            {
                (await bed.KubectlAsync($"create configmap cm-{i} -n apps --from-literal=v=0")).ShouldSucceed();
                (await bed.KubectlAsync($"patch configmap cm-{i} -n apps -p {{\"data\":{{\"v\":\"1\"}}}}")).ShouldSucceed();
                written = i + 1;
            }
        });

        await InstallAndRemoveAsync(bed, "gizmo");

        await stop.CancelAsync();
        await writer;
        var subjects = await bed.CommitsAsync(commits + 2 * written);

        var mine = subjects.Take(subjects.Count - commits + 1).ToList();
        mine.Should().NotContain(subject => subject.StartsWith("[RESYNC]", StringComparison.Ordinal), "no change is folded into a resync");
        for (var i = 0; i < written; i++)
        {
            mine.Should().ContainSingle(subject => subject == $"[CREATE] ConfigMap/cm-{i} in ns/apps by manager/kubectl-create");
            mine.Should().ContainSingle(subject => subject == $"[UPDATE] ConfigMap/cm-{i} in ns/apps by manager/kubectl-patch");
        }

        var listsAfter = await ListsAsync(bed);
        foreach (var (resource, count) in listsAfter.Where(pair => listsBefore.ContainsKey(pair.Key)))
        {
            count.Should().Be(listsBefore[resource], $"{resource} was listed once, at start, and never again");
        }

        for (var c = 0; c < Crds; c++)
        {
            listsAfter.GetValueOrDefault($"gizmo{c}s.example.com").Should().Be(1, "a new kind is listed once, by its own reflector");
        }

        // Memory: ten more kinds come and go, with nothing else going on, as when the operator relisted every kind for each.
        var peakBefore = PeakMegabytes(bed.Operator!.Id);
        await InstallAndRemoveAsync(bed, "widget");
        var peakAfter = PeakMegabytes(bed.Operator.Id);
        TestContext.Out.WriteLine($"operator peak RSS before {Crds} more CRD installs and removals: {peakBefore} MB, after: {peakAfter} MB");
        ((double)peakAfter).Should().BeLessThanOrEqualTo(peakBefore * 1.1, "no relist of every kind, and nothing kept of the kinds that went");
    }

    [Test]
    public async Task ARuleEdit_ListsOnlyTheKindItAdds()
    {
        await using var bed = await OperatorTestbed.StartAsync();
        await bed.CaptureConfigMapsAsync("apps");
        (await bed.KubectlAsync("create secret generic db -n apps --from-literal=password=hunter2")).ShouldSucceed();
        await bed.StartOperatorAsync();
        await Task.Delay(1000);
        var commits = GitCli.Log(bed.Remote).Count;
        var listsBefore = await ListsAsync(bed);

        (await bed.ApplyAsync(OperatorTestbed.ConfigMapRule.Replace("resources: [{apiVersion: v1, kind: ConfigMap}]",
            "resources: [{apiVersion: v1, kind: ConfigMap}, {apiVersion: v1, kind: Secret}]", StringComparison.Ordinal))).ShouldSucceed();
        (await bed.CommitAsync(commits + 1)).Should().Be("[RESYNC] 1 change", "the Secret already there comes in with the kind");
        (await bed.KubectlAsync("create configmap after-the-edit -n apps --from-literal=a=b")).ShouldSucceed();
        (await bed.CommitAsync(commits + 2)).Should().Be("[CREATE] ConfigMap/after-the-edit in ns/apps by manager/kubectl-create");

        var listsAfter = await ListsAsync(bed);
        listsAfter["configmaps"].Should().Be(listsBefore["configmaps"], "the ConfigMaps' reflector goes on watching");
        listsAfter["secrets"].Should().Be(listsBefore.GetValueOrDefault("secrets") + 1);
    }

    // Ten CRDs, one after another: each installed until the operator watches its kind, then removed until it stops.
    private static async Task InstallAndRemoveAsync(OperatorTestbed bed, string name)
    {
        for (var c = 0; c < Crds; c++)
        {
            (await bed.ApplyAsync(OperatorTestbed.Crd($"{name}{c}s", $"{char.ToUpperInvariant(name[0])}{name[1..]}{c}"))).ShouldSucceed();
            await WaitUntilAsync(() => bed.Operator!.Output.Contains($"Watching {name}{c}s.example.com", StringComparison.Ordinal), bed);
            (await bed.KubectlAsync($"delete crd {name}{c}s.example.com")).ShouldSucceed();
            await WaitUntilAsync(() => bed.Operator!.Output.Contains($"No rule needs {name}{c}s.example.com any more", StringComparison.Ordinal), bed);
        }
    }

    private static async Task<Dictionary<string, long>> ListsAsync(OperatorTestbed bed)
    {
        var stats = JsonNode.Parse(await bed.Http.GetStringAsync("kubesim/stats"))!;
        return (stats["lists"] as JsonObject ?? []).ToDictionary(pair => pair.Key, pair => (long)pair.Value!);
    }

    // VmHWM: the most resident memory the process has had.
    private static long PeakMegabytes(int pid) =>
        long.Parse(File.ReadAllLines($"/proc/{pid}/status").Single(line => line.StartsWith("VmHWM:", StringComparison.Ordinal))
            .Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) / 1024;

    private static async Task WaitUntilAsync(Func<bool> condition, OperatorTestbed bed)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail($"not within 30 s; operator output:\n{bed.Operator?.Output}");
            }

            await Task.Delay(100);
        }
    }
}
