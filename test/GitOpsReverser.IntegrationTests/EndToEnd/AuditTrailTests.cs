using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using GitOpsReverser.IntegrationTests.TestSupport;

namespace GitOpsReverser.IntegrationTests.EndToEnd;

/// <summary>
/// The audit trail's guarantee with the operator as a process and clients as fast as controllers:
/// below the queue's bound every change is its own commit, with its own operation, in watch order;
/// past it, changes to one object fold into commits that say how many changes they stand for, so the
/// commits still account for every change; and so with two clusters writing one branch. It drives the machine
/// hard, so it runs alone.
/// </summary>
[Category("Integration")]
[NonParallelizable]
public sealed partial class AuditTrailTests
{
    private const string Namespace = "audit";
    private const string Client = "audit-client";

    [Test]
    public async Task CreatedAndPatchedAtOnce_SixtyTimes_ThenHalfDeleted_EveryChangeIsItsOwnCommitInWatchOrder()
    {
        await using var bed = await StartAsync();

        for (var i = 0; i < 60; i++)
        {
            await CreateAsync(bed.Http, $"cm{i}", "0");
            await PatchAsync(bed.Http, $"cm{i}", "1");
        }

        for (var i = 0; i < 60; i += 2)
        {
            await DeleteAsync(bed.Http, $"cm{i}");
        }

        var commits = await CommitsAfterSeedAsync(bed, 150);

        commits.Select(commit => commit.Subject).Should().Equal([
            .. Enumerable.Range(0, 60).SelectMany(i => new[]
            {
                $"[CREATE] ConfigMap/cm{i} in ns/{Namespace} by manager/{Client}", $"[UPDATE] ConfigMap/cm{i} in ns/{Namespace} by manager/{Client}",
            }),
            .. Enumerable.Range(0, 30).Select(i => $"[DELETE] ConfigMap/cm{2 * i} in ns/{Namespace}"),
        ]);
        var versions = commits.Select(commit => long.Parse(ResourceVersion().Match(commit.Body).Groups[1].Value, CultureInfo.InvariantCulture)).ToList();
        versions.Should().BeInAscendingOrder("commits follow the watch's order").And.OnlyHaveUniqueItems();
        bed.Files().Where(file => file.StartsWith($"namespaces/{Namespace}/", StringComparison.Ordinal)).Should().BeEquivalentTo(
            Enumerable.Range(0, 30).Select(i => $"namespaces/{Namespace}/ConfigMap/cm{(2 * i) + 1}.yaml"), "the files equal the cluster");
    }

    [Test]
    public async Task TwoThousandChangesPerSecond_ForTenSeconds_EveryChangeIsACommit()
    {
        const int Objects = 200;
        const int Rate = 2_000;
        const int Changes = Rate * 10;
        await using var bed = await StartAsync(prepare: async http =>
        {
            for (var i = 0; i < Objects; i++)
            {
                await CreateAsync(http, $"cm{i}", "0");
            }
        });
        (await bed.CommitAsync(2)).Should().Be($"[RESYNC] {Objects} changes", "the objects made before the start arrive in one resync");
        var before = CommitCount(bed);

        // 16 writers, each change at its time on a steady 2,000/s schedule; every change a new value.
        var values = new int[Objects];
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var next = -1;
        await Task.WhenAll(Enumerable.Range(0, 16).Select(_ => Task.Run(async () =>
        {
            for (var change = Interlocked.Increment(ref next); change < Changes; change = Interlocked.Increment(ref next))
            {
                var due = TimeSpan.FromSeconds((double)change / Rate) - clock.Elapsed;
                if (due > TimeSpan.Zero)
                {
                    await Task.Delay(due);
                }

                var target = change % Objects;
                await PatchAsync(bed.Http, $"cm{target}", (change + 1).ToString(CultureInfo.InvariantCulture));
                lock (values)
                {
                    values[target] = Math.Max(values[target], change + 1);
                }
            }
        })));
        var written = clock.Elapsed;
        TestContext.Progress.WriteLine($"{Changes} changes written in {written.TotalSeconds:F1} s ({Changes / written.TotalSeconds:F0}/s)");

        var deadline = DateTime.UtcNow.AddSeconds(180);
        while (CommitCount(bed) < before + Changes && DateTime.UtcNow < deadline && !bed.Operator!.HasExited)
        {
            await Task.Delay(500);
        }

        TestContext.Progress.WriteLine($"all on the remote {clock.Elapsed.TotalSeconds:F1} s after the first change");
        (CommitCount(bed) - before).Should().Be(Changes, "every change is its own commit below the bound");
        var status = await bed.WaitForReadyAsync("gitrepoconfig", OperatorTestbed.OperatorNamespace, "audit", "True");
        for (var i = 0; i < Objects; i += 37)
        {
            bed.Show($"namespaces/{Namespace}/ConfigMap/cm{i}.yaml").Should().Contain($"v: \"{values[i]}\"", "the file holds the last change");
        }

        ((long?)(await StatusAsync(bed))["coalescedChanges"]).Should().Be(0);
        status["status"]!.ToString().Should().Be("True");
    }

    [Test]
    public async Task PastATinyBound_ChangesToOneObjectFold_AndTheCommitsStillAccountForEveryChange()
    {
        const int Objects = 5;
        const int PatchesEach = 200;
        await using var bed = await StartAsync(settings: new Dictionary<string, string> { ["GITOPS_REVERSER_Operator__QueueBytes"] = "65536" });
        for (var i = 0; i < Objects; i++)
        {
            await CreateAsync(bed.Http, $"cm{i}", "0");
        }

        await CommitsAfterSeedAsync(bed, Objects);

        // The events pile up while the operator is stopped and arrive as one burst: read and sanitized far
        // faster than they can be committed, they fill the 64 KiB (about a hundred changes) at once.
        bed.Operator!.Signal("STOP");
        for (var round = 1; round <= PatchesEach; round++)
        {
            for (var i = 0; i < Objects; i++)
            {
                await PatchAsync(bed.Http, $"cm{i}", round.ToString(CultureInfo.InvariantCulture));
            }
        }

        bed.Operator.Signal("CONT");
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (!Enumerable.Range(0, Objects).All(i => bed.Show($"namespaces/{Namespace}/ConfigMap/cm{i}.yaml").Contains($"v: \"{PatchesEach}\"", StringComparison.Ordinal)))
        {
            DateTime.UtcNow.Should().BeBefore(deadline, bed.Operator.Output);
            await Task.Delay(200);
        }

        var commits = (await CommitsAfterSeedAsync(bed, Objects)).Skip(Objects).ToList();
        commits.Should().OnlyContain(commit => commit.Subject.StartsWith("[UPDATE] ConfigMap/cm", StringComparison.Ordinal));
        for (var i = 0; i < Objects; i++)
        {
            commits.Where(commit => commit.Subject == $"[UPDATE] ConfigMap/cm{i} in ns/{Namespace} by manager/{Client}")
                .Sum(commit => Coalesced().Match(commit.Body) is { Success: true } match ? int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture) : 1)
                .Should().Be(PatchesEach, $"cm{i}'s commits say how many changes each stands for");
        }

        TestContext.Progress.WriteLine($"{Objects * PatchesEach} changes past a 64 KiB bound became {commits.Count} commits");
        commits.Count.Should().BeLessThan(Objects * PatchesEach, "past the bound, changes to one object fold");
        var folded = (Objects * PatchesEach) - commits.Count;
        var repository = await StatusAsync(bed);
        var statusDeadline = DateTime.UtcNow.AddSeconds(15);
        while ((long?)repository["coalescedChanges"] != folded && DateTime.UtcNow < statusDeadline)
        {
            await Task.Delay(300);
            repository = await StatusAsync(bed);
        }

        ((long?)repository["coalescedChanges"]).Should().Be(folded, "the repository's status counts the folded changes");
        var metrics = (await bed.Operator.GetAsync(bed.Operator.MetricsPort, "/metrics")).Body;
        metrics.Should().Contain("gitops_reverser_git_changes_coalesced_total{");
        bed.Operator.Output.Should().Contain("changes to one object are folded into one commit");
    }

    private static async Task<JsonNode> StatusAsync(OperatorTestbed bed) =>
        JsonNode.Parse((await bed.KubectlAsync($"get gitrepoconfig audit -n {OperatorTestbed.OperatorNamespace} -o json")).ShouldSucceed().Output)!["status"]!;

    [Test]
    public async Task TwoClusters_IntoOneBranch_EveryChangeOfBothIsACommit()
    {
        await using var a = await StartAsync(baseFolder: "clusters/a");
        await using var b = await StartAsync(baseFolder: "clusters/b", sharedRemote: a.Remote);

        async Task WriteAsync(OperatorTestbed bed, string prefix)
        {
            for (var i = 0; i < 150; i++)
            {
                await CreateAsync(bed.Http, $"{prefix}{i}", "0");
                await PatchAsync(bed.Http, $"{prefix}{i}", "1");
            }
        }

        await Task.WhenAll(WriteAsync(a, "a"), WriteAsync(b, "b"));
        var subjects = (await CommitsAfterSeedAsync(a, 600, seconds: 90)).Select(commit => commit.Subject).ToList();

        foreach (var prefix in new[] { "a", "b" })
        {
            for (var i = 0; i < 150; i++)
            {
                subjects.Where(subject => subject.Contains($"ConfigMap/{prefix}{i} ", StringComparison.Ordinal)).Should().Equal(
                    $"[CREATE] ConfigMap/{prefix}{i} in ns/{Namespace} by manager/{Client}", $"[UPDATE] ConfigMap/{prefix}{i} in ns/{Namespace} by manager/{Client}");
            }
        }

        subjects.Should().HaveCount(600);
        a.Files().Count(file => file.StartsWith("clusters/a/namespaces/audit/ConfigMap/", StringComparison.Ordinal)).Should().Be(150);
        a.Files().Count(file => file.StartsWith("clusters/b/namespaces/audit/ConfigMap/", StringComparison.Ordinal)).Should().Be(150);
        GitCli.Run(a.Remote, "rev-list", "--merges", "main").Should().BeEmpty("never a merge commit");
        GitCli.Run(a.Remote, "fsck", "--strict");
    }

    // A cluster with the audit namespace (captured), a GitRepoConfig and the ConfigMap rule, and the operator started.
    private static async Task<OperatorTestbed> StartAsync(
        string? baseFolder = null, string? sharedRemote = null, IDictionary<string, string>? settings = null, Func<HttpClient, Task>? prepare = null)
    {
        var bed = await OperatorTestbed.StartAsync(sharedRemote: sharedRemote);
        (await bed.KubectlAsync($"create namespace {Namespace}")).ShouldSucceed();
        (await bed.KubectlAsync($"label namespace {Namespace} capture=yes")).ShouldSucceed();
        (await bed.ApplyAsync(bed.RepoConfig(extra: baseFolder is null ? "" : $"  baseFolder: {baseFolder}"))).ShouldSucceed();
        (await bed.ApplyAsync(OperatorTestbed.ConfigMapRule)).ShouldSucceed();
        if (prepare is not null)
        {
            await prepare(bed.Http);
        }

        await bed.StartOperatorAsync(settings: settings);
        return bed;
    }

    private static int CommitCount(OperatorTestbed bed) => int.Parse(GitCli.Run(bed.Remote, "rev-list", "--count", "main").Trim(), CultureInfo.InvariantCulture);

    // The remote's commits after the seed, oldest first, once there are at least count of them.
    private static async Task<List<(string Subject, string Body)>> CommitsAfterSeedAsync(OperatorTestbed bed, int count, int seconds = 60)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (CommitCount(bed) - 1 < count)
        {
            DateTime.UtcNow.Should().BeBefore(deadline, $"the remote should have {count} commits after the seed; operator output:\n{bed.Operator?.Output}");
            await Task.Delay(200);
        }

        return [.. GitCli.Run(bed.Remote, "log", "--reverse", "--format=%s%x00%b%x01", "main").Split('\u0001', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Where(entry => entry.Length > 0)
            .Select(entry => entry.Split('\0'))
            .Where(parts => parts[0] != OperatorTestbed.SeedCommit)
            .Select(parts => (parts[0], parts[1]))];
    }

    private static Task CreateAsync(HttpClient http, string name, string value, string? payload = null)
    {
        var data = new JsonObject { ["v"] = value };
        if (payload is not null)
        {
            data["payload"] = payload;
        }

        var body = new JsonObject { ["apiVersion"] = "v1", ["kind"] = "ConfigMap", ["metadata"] = new JsonObject { ["name"] = name }, ["data"] = data };
        return SendAsync(http, HttpMethod.Post, $"api/v1/namespaces/{Namespace}/configmaps?fieldManager={Client}", body.ToJsonString(), "application/json");
    }

    private static Task PatchAsync(HttpClient http, string name, string value) =>
        SendAsync(http, HttpMethod.Patch, $"api/v1/namespaces/{Namespace}/configmaps/{name}?fieldManager={Client}",
            new JsonObject { ["data"] = new JsonObject { ["v"] = value } }.ToJsonString(), "application/merge-patch+json");

    private static Task DeleteAsync(HttpClient http, string name) =>
        SendAsync(http, HttpMethod.Delete, $"api/v1/namespaces/{Namespace}/configmaps/{name}", null, null);

    private static async Task SendAsync(HttpClient http, HttpMethod method, string path, string? body, string? contentType)
    {
        using var request = new HttpRequestMessage(method, path);
        if (body is not null)
        {
            request.Content = new StringContent(body, Encoding.UTF8);
            request.Content.Headers.ContentType = new MediaTypeHeaderValue(contentType!);
        }

        using var response = await http.SendAsync(request);
        if (!response.IsSuccessStatusCode)
        {
            Assert.Fail($"{method} {path}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        }
    }

    [GeneratedRegex(@"- Resource Version: (\d+)")]
    private static partial Regex ResourceVersion();

    [GeneratedRegex(@"- Coalesced: (\d+) changes")]
    private static partial Regex Coalesced();
}
