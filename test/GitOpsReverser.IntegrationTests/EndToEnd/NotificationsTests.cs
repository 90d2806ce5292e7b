using System.Text.Json.Nodes;
using GitOpsReverser.IntegrationTests.TestSupport;

namespace GitOpsReverser.IntegrationTests.EndToEnd;

/// <summary>
/// <c>notifications</c> with the operator as a process, KubeSim, real kubectl, real git and a real HTTP receiver:
/// Slack, Teams, generic JSON and CloudEvents messages for pushed commits, each endpoint's operations and kinds, a
/// burst batched into few messages, no Secret value in any message; an endpoint that fails and one that stalls
/// drop their messages after their retries, say so in status and metrics, and hold no commit back.
/// </summary>
[Category("Integration")]
public sealed class NotificationsTests
{
    [Test]
    public async Task PushedCommits_AreToldToEachEndpoint_InItsForm_AndABrokenReceiverHoldsNothingBack()
    {
        await using var bed = await OperatorTestbed.StartAsync();
        await using var receiver = await NotificationReceiver.StartAsync();
        (await bed.KubectlAsync("create namespace shop")).ShouldSucceed();
        (await bed.KubectlAsync("label namespace shop capture=yes")).ShouldSucceed();
        foreach (var (secret, path) in new[] { ("slack", "ok/slack"), ("teams", "ok/teams"), ("hook", "ok/webhook"), ("events", "ok/cloudevents"), ("failing", "fail/webhook"), ("stalling", "stall/webhook") })
        {
            (await bed.KubectlAsync($"create secret generic {secret} -n {OperatorTestbed.OperatorNamespace} --from-literal=url={receiver.Url}/{path}")).ShouldSucceed();
        }

        (await bed.ApplyAsync(bed.RepoConfig(extra: """
              notifications:
                commitUrl: https://git.example.com/platform/audit/commit/{sha}
                timeout: 1s
                endpoints:
                  - {name: slack, type: Slack, secretRef: {name: slack}, kinds: [ConfigMap], operations: [CREATE, UPDATE]}
                  - {name: teams, type: Teams, secretRef: {name: teams}}
                  - {name: hook, type: Webhook, secretRef: {name: hook}}
                  - {name: events, type: CloudEvents, secretRef: {name: events}}
                  - {name: failing, type: Webhook, secretRef: {name: failing}}
                  - {name: stalling, type: Webhook, secretRef: {name: stalling}}
                  - {name: missing, type: Slack, secretRef: {name: nope, key: webhook}}
            """))).ShouldSucceed();
        (await bed.ApplyAsync(OperatorTestbed.WildcardRule)).ShouldSucceed();
        await bed.StartOperatorAsync();
        await bed.WaitForReadyAsync("watchrule", OperatorTestbed.OperatorNamespace, "everything", "True");

        (await bed.KubectlAsync("create configmap app -n shop --from-literal=mode=slow")).ShouldSucceed();
        (await bed.KubectlAsync("""patch configmap app -n shop --type=merge -p '{"data":{"mode":"fast"},"metadata":{"labels":{"team":"web"}}}'""")).ShouldSucceed();
        (await bed.KubectlAsync("create secret generic db -n shop --from-literal=password=hunter2-secret-value")).ShouldSucceed();
        (await bed.KubectlAsync("delete configmap app -n shop")).ShouldSucceed();
        for (var i = 0; i < 5; i++)
        {
            (await bed.KubectlAsync($"create configmap burst-{i} -n shop --from-literal=n={i}")).ShouldSucceed();
        }

        // Every commit reached the remote in time, while two receivers failed and stalled.
        var subjects = await bed.CommitsAsync(10);
        var pushed = GitCli.Log(bed.Remote, "%H %s").Take(9).Select(line => (Id: line[..40], Subject: line[41..])).Reverse().ToList();
        var webhook = await WaitAsync(() => receiver.Received("/ok/webhook"), messages => Ids(messages).Count >= 9);
        Ids(webhook).Should().BeEquivalentTo(pushed.Select(commit => commit.Id), "every pushed commit is told once");
        webhook.Count.Should().BeLessThan(9, "a burst goes in one message");

        var update = JsonNode.Parse(webhook.Select(message => message.Body).First(body => body.Contains("kubectl-patch", StringComparison.Ordinal)))!["commits"]!.AsArray()
            .Single(commit => ((string)commit!["subject"]!).StartsWith("[UPDATE] ConfigMap/app", StringComparison.Ordinal))!;
        ((string)update["url"]!).Should().Be($"https://git.example.com/platform/audit/commit/{update["id"]}");
        ((string)update["who"]!).Should().Be("manager/kubectl-patch");
        update["objects"]![0]!["changedFields"]!.AsArray().Select(field => (string)field!).Should().Equal("data.mode", "metadata.labels.team");

        var slack = receiver.Received("/ok/slack");
        var slackText = string.Join("\n", slack.Select(message => (string)JsonNode.Parse(message.Body)!["text"]!));
        slackText.Should().Contain("[CREATE] ConfigMap/app in ns/shop by manager/kubectl-create")
            .And.Contain("[UPDATE] ConfigMap/app in ns/shop by manager/kubectl-patch (manager/kubectl-patch,")
            .And.Contain("    ConfigMap/app in shop: data.mode, metadata.labels.team")
            .And.MatchRegex(@"<https://git\.example\.com/platform/audit/commit/[0-9a-f]{40}\|[0-9a-f]{7}>")
            .And.NotContain("[DELETE]", "the endpoint wants CREATE and UPDATE only").And.NotContain("Secret/db", "it wants ConfigMaps only");

        var teams = await WaitAsync(() => receiver.Received("/ok/teams"), messages => messages.Count > 0);
        JsonNode.Parse(teams[0].Body)!["attachments"]![0]!["content"]!["type"]!.GetValue<string>().Should().Be("AdaptiveCard");
        var events = await WaitAsync(() => receiver.Received("/ok/cloudevents"), messages => messages.Sum(message => JsonNode.Parse(message.Body)!.AsArray().Count) >= 9);
        events.Should().OnlyContain(message => message.ContentType.StartsWith("application/cloudevents-batch+json", StringComparison.Ordinal));
        var first = JsonNode.Parse(events[0].Body)![0]!;
        ((string)first["specversion"]!).Should().Be("1.0");
        ((string)first["type"]!).Should().Be("io.gitops-reverser.commit.pushed");
        ((string)first["source"]!).Should().Be("/gitops-reverser/gitops-reverser-system/audit");

        foreach (var path in new[] { "/ok/slack", "/ok/teams", "/ok/webhook", "/ok/cloudevents", "/fail/webhook", "/stall/webhook" })
        {
            foreach (var message in receiver.Received(path))
            {
                message.Body.Should().NotContain("hunter2-secret-value").And.NotContain(Convert.ToBase64String("hunter2-secret-value"u8.ToArray()));
            }
        }

        // The failing and the stalling receiver: each message tried four times, then dropped, counted and said.
        var status = await WaitAsync(async () => (await bed.KubectlAsync($"get gitrepoconfig audit -n {OperatorTestbed.OperatorNamespace} -o json")).Output,
            json => Endpoint(json, "stalling")?["dropped"]?.GetValue<long>() >= 1 && Endpoint(json, "failing")?["dropped"]?.GetValue<long>() >= 1);
        ((string?)Endpoint(status, "failing")!["lastError"]).Should().Be("the endpoint answered 500 Internal Server Error");
        ((string?)Endpoint(status, "stalling")!["lastError"]).Should().Be("no answer within 1 s, 4 times");
        ((string?)Endpoint(status, "missing")!["lastError"]).Should().Contain("Secret gitops-reverser-system/nope named in notifications.endpoints[6].secretRef does not exist");
        Endpoint(status, "hook")!["sent"]!.GetValue<long>().Should().BeGreaterThanOrEqualTo(1);
        receiver.Received("/fail/webhook").Count.Should().BeGreaterThanOrEqualTo(4, "one message is tried 4 times");
        JsonNode.Parse(status)!["status"]!["conditions"]![0]!["status"]!.GetValue<string>().Should().Be("True", "notifications never make a repository not Ready");
        var (_, metrics) = await bed.Operator!.GetAsync(bed.Operator.MetricsPort, "/metrics");
        metrics.Should().MatchRegex("gitops_reverser_notifications_total\\{[^}]*endpoint=\"failing\"[^}]*result=\"failed\"[^}]*\\} [1-9]")
            .And.MatchRegex("gitops_reverser_notification_commits_dropped_total\\{[^}]*endpoint=\"stalling\"[^}]*\\} [1-9]");
        bed.Operator.Output.Should().Contain("notification endpoint failing dropped").And.NotContain(receiver.Url, "an endpoint's URL is a credential");
    }

    [Test]
    public async Task ACommitPushedButNotYetTold_IsToldAfterTheOperatorIsKilled_OnceAndOnlyOnce()
    {
        await using var bed = await OperatorTestbed.StartAsync();
        await using var receiver = await NotificationReceiver.StartAsync();
        (await bed.KubectlAsync($"create secret generic hook -n {OperatorTestbed.OperatorNamespace} --from-literal=url={receiver.Url}/ok/webhook")).ShouldSucceed();
        (await bed.KubectlAsync("create namespace shop")).ShouldSucceed();
        (await bed.KubectlAsync("label namespace shop capture=yes")).ShouldSucceed();
        (await bed.ApplyAsync(bed.RepoConfig(extra: """
              notifications:
                batchWindow: 15s
                endpoints: [{name: hook, type: Webhook, secretRef: {name: hook}}]
            """))).ShouldSucceed();
        (await bed.ApplyAsync(OperatorTestbed.ConfigMapRule)).ShouldSucceed();
        await bed.StartOperatorAsync();
        await bed.WaitForReadyAsync("watchrule", OperatorTestbed.OperatorNamespace, "configs", "True");

        // Pushed, then the operator is killed inside the batch window: nothing was told yet.
        (await bed.KubectlAsync("create configmap before-the-kill -n shop --from-literal=k=v")).ShouldSucceed();
        await bed.CommitsAsync(2);
        var first = GitCli.Log(bed.Remote, "%H")[0];
        bed.KillOperator();
        receiver.Received("/ok/webhook").Should().BeEmpty();

        await bed.StartOperatorAsync();
        var told = await WaitAsync(() => receiver.Received("/ok/webhook"), messages => Ids(messages).Contains(first));
        Ids(told).Should().Equal(first);

        (await bed.KubectlAsync("create configmap after-the-restart -n shop --from-literal=k=v")).ShouldSucceed();
        await bed.CommitsAsync(3);
        var second = GitCli.Log(bed.Remote, "%H")[0];
        told = await WaitAsync(() => receiver.Received("/ok/webhook"), messages => Ids(messages).Contains(second));
        Ids(told).Should().Equal([first, second], "each commit is told once");
    }

    private static JsonNode? Endpoint(string gitRepoConfig, string name) =>
        (JsonNode.Parse(gitRepoConfig)?["status"]?["notifications"] as JsonArray)?.FirstOrDefault(endpoint => (string?)endpoint?["name"] == name);

    private static List<string> Ids(IEnumerable<ReceivedMessage> messages) =>
        [.. messages.SelectMany(message => JsonNode.Parse(message.Body)!["commits"]!.AsArray()).Select(commit => (string)commit!["id"]!)];

    private static Task<T> WaitAsync<T>(Func<T> read, Func<T, bool> done) => WaitAsync(() => Task.FromResult(read()), done);

    private static async Task<T> WaitAsync<T>(Func<Task<T>> read, Func<T, bool> done)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            var value = await read();
            if (done(value) || DateTime.UtcNow > deadline)
            {
                return value;
            }

            await Task.Delay(250);
        }
    }
}
