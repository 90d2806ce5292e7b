using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using GitOpsReverser.IntegrationTests.TestSupport;

namespace GitOpsReverser.IntegrationTests.EndToEnd;

/// <summary>
/// Changes keep coming while KubeSim drops every watch, compacts its history while objects are
/// deleted (410), answers storms of 500 and 429, and the operator is killed with SIGKILL and started
/// again. Afterwards the repository equals the cluster file by file, no commit changes nothing (a
/// duplicate), the history has no merge commit, and every head the remote ever had is an ancestor of
/// the last one (the remote also refuses non-fast-forward pushes).
/// </summary>
[Category("Integration")]
public sealed class FaultTests
{
    [Test]
    public async Task DroppedWatches_Compaction_ErrorStorms_AndKill_RepositoryEqualsClusterAfterwards()
    {
        await using var bed = await OperatorTestbed.StartAsync();
        (await bed.KubectlAsync("create namespace load")).ShouldSucceed();
        (await bed.KubectlAsync("label namespace load capture=yes")).ShouldSucceed();
        (await bed.ApplyAsync(bed.RepoConfig())).ShouldSucceed();
        (await bed.ApplyAsync(OperatorTestbed.ConfigMapRule)).ShouldSucceed();
        await bed.StartOperatorAsync();

        using var stopWriting = new CancellationTokenSource();
        var writes = 0;
        var writer = Task.Run(async () =>
        {
            var random = new Random(7);
            while (!stopWriting.IsCancellationRequested)
            {
                await WriteAsync(bed.Http, $"cm-{random.Next(30)}", random.Next(10), ++writes);
                await Task.Delay(20);
            }
        });
        var heads = new List<string>();
        async Task PhaseAsync(Action fault, int milliseconds)
        {
            fault();
            await Task.Delay(milliseconds);
            heads.Add(GitCli.Run(bed.Remote, "rev-parse", "main").Trim());
        }

        await PhaseAsync(() => { }, 1500);
        for (var i = 0; i < 3; i++)
        {
            await PhaseAsync(() => bed.Sim.Faults.CloseWatches(), 700);
        }

        await PhaseAsync(() => bed.Sim.Faults.FailNext(40, 500), 2500);
        await PhaseAsync(() => bed.Sim.Faults.FailNext(40, 429, retryAfterSeconds: 1), 2500);

        // History compacted while objects are deleted: the watches resume from a resourceVersion that
        // is gone (410), relist, and turn the vanished objects into deletions.
        bed.Sim.Faults.StallWatches(true);
        for (var i = 0; i < 30; i += 3)
        {
            using var _ = await bed.Http.DeleteAsync($"api/v1/namespaces/load/configmaps/cm-{i}");
        }

        bed.Sim.Faults.Compact();
        bed.Sim.Faults.CloseWatches();
        await PhaseAsync(() => bed.Sim.Faults.StallWatches(false), 2000);

        var beforeKill = bed.Operator!.Output;
        bed.KillOperator();
        await Task.Delay(1500);
        await bed.StartOperatorAsync();
        await PhaseAsync(() => { }, 2000);
        await stopWriting.CancelAsync();
        await writer;

        var expected = await ClusterMirror.ExpectedAsync(bed.Http, "api/v1/namespaces/load/configmaps", "v1", "ConfigMap");
        var deadline = DateTime.UtcNow.AddSeconds(60);
        List<string> differences;
        while ((differences = ClusterMirror.Differences(bed.Remote, "namespaces/", expected)).Count > 0 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(250);
        }

        differences.Should().BeEmpty($"after {writes} writes the repository should equal the cluster; operator output:\n{bed.Operator!.Output}");
        ClusterMirror.HistoryProblems(bed.Remote).Should().BeEmpty();
        var last = GitCli.Run(bed.Remote, "rev-parse", "main").Trim();
        foreach (var head in heads.Distinct())
        {
            GitCli.Run(bed.Remote, "merge-base", "--is-ancestor", head, last);
        }

        beforeKill.Should().Contain("expired (410)", "the compacted history made the watch relist").And.Contain("retrying in", "the error storms were retried");
        bed.Show("README.md").Should().Be("# Audit trail\n");
    }

    private static async Task WriteAsync(HttpClient http, string name, int dice, int counter)
    {
        try
        {
            if (dice < 2)
            {
                using var deleted = await http.DeleteAsync($"api/v1/namespaces/load/configmaps/{name}");
                return;
            }

            var value = counter.ToString(CultureInfo.InvariantCulture);
            using var patch = new HttpRequestMessage(HttpMethod.Patch, $"api/v1/namespaces/load/configmaps/{name}?fieldManager=load-test")
            {
                Content = new StringContent($$$"""{"data":{"value":"{{{value}}}"}}""", Encoding.UTF8),
            };
            patch.Content.Headers.ContentType = new MediaTypeHeaderValue("application/merge-patch+json");
            using var patched = await http.SendAsync(patch);
            if (patched.StatusCode == System.Net.HttpStatusCode.NotFound)
            {
                using var created = await http.PostAsync("api/v1/namespaces/load/configmaps?fieldManager=load-test", new StringContent(
                    $$$"""{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"{{{name}}}"},"data":{"value":"{{{value}}}"}}""", Encoding.UTF8, "application/json"));
            }
        }
        catch (HttpRequestException)
        {
            // The injected faults hit the writer too; the next write goes on.
        }
    }
}
