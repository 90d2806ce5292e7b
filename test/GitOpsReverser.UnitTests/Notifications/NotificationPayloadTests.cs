using System.Text;
using System.Text.Json.Nodes;
using GitOpsReverser.Git.History;
using GitOpsReverser.Notifications;
using GitOpsReverser.Specs;

namespace GitOpsReverser.UnitTests.Notifications;

/// <summary>What a message says of a batch of pushed commits, in each endpoint's form; and which commits an endpoint wants.</summary>
public sealed class NotificationPayloadTests
{
    private static readonly NotificationSettings Settings = new("https://git.example.com/org/repo/commit/{sha}", TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(10), []);
    private static readonly DateTimeOffset When = new(2026, 12, 6, 10, 0, 0, TimeSpan.Zero);
    private const string Id = "0123456789abcdef0123456789abcdef01234567";

    private static NotifiedCommit Update(string before, string after, string path = "namespaces/shop/ConfigMap/app.yaml") =>
        NotifiedCommit.Of(new PushedCommit(Id, When, "user/alice@example.com", "[UPDATE] ConfigMap/app in ns/shop by user/alice@example.com",
            [new PushedFile(path, "UPDATE", Encoding.UTF8.GetBytes(before), Encoding.UTF8.GetBytes(after))]), Settings);

    [Test]
    public void AChange_NamesItsChangedFields_NeverTheirValues_AndLeavesSopsOwnBlockOut()
    {
        var commit = Update("apiVersion: v1\nkind: Secret\nmetadata: {name: db, namespace: shop}\ndata:\n  password: ENC[a]\n  user: ENC[b]\nsops:\n  mac: ENC[x]\n  lastmodified: '1'\n",
            "apiVersion: v1\nkind: Secret\nmetadata: {name: db, namespace: shop, labels: {rotated: 'yes'}}\ndata:\n  password: ENC[c]\n  user: ENC[b]\nsops:\n  mac: ENC[y]\n  lastmodified: '2'\n",
            "clusters/prod/namespaces/shop/Secret/db.yaml");

        var file = commit.Files.Should().ContainSingle().Subject;
        file.ToString().Should().Be("Secret/db in shop");
        file.Fields.Should().Equal("data.password", "metadata.labels.rotated");
        commit.Link.Should().Be($"https://git.example.com/org/repo/commit/{Id}");
        NotificationPayload.For(EndpointType.Webhook, "ops/audit", [commit], 0).Body.Should().NotContain("ENC[");
    }

    [Test]
    public void Slack_GetsItsMarkup_WithTheLink_AndEscapesWhatItDidNotWrite()
    {
        var commit = Update("kind: ConfigMap\napiVersion: v1\nmetadata: {name: app, namespace: shop}\ndata: {mode: slow}\n",
            "kind: ConfigMap\napiVersion: v1\nmetadata: {name: app, namespace: shop}\ndata: {mode: fast}\n") with
        { Subject = "[UPDATE] <!channel> & more" };

        var (body, contentType) = NotificationPayload.For(EndpointType.Slack, "ops/audit", [commit], 3);

        contentType.Should().Be("application/json");
        ((string)JsonNode.Parse(body)!["text"]!).Should().Be(
            "*ops/audit: 4 changes pushed*\n" +
            $"• <https://git.example.com/org/repo/commit/{Id}|0123456> [UPDATE] &lt;!channel&gt; &amp; more (user/alice@example.com, 2026-12-06T10:00:00Z)\n" +
            "    ConfigMap/app in shop: data.mode\n" +
            "…and 3 more in the repository");
    }

    [Test]
    public void Teams_GetsAnAdaptiveCard_CloudEvents_ABatchOfEvents_AndWebhook_TheFacts()
    {
        var commit = Update("kind: ConfigMap\napiVersion: v1\nmetadata: {name: app, namespace: shop}\ndata: {mode: slow}\n",
            "kind: ConfigMap\napiVersion: v1\nmetadata: {name: app, namespace: shop}\ndata: {mode: fast}\n");

        var teams = JsonNode.Parse(NotificationPayload.For(EndpointType.Teams, "ops/audit", [commit], 0).Body)!;
        teams["type"]!.GetValue<string>().Should().Be("message");
        var card = teams["attachments"]![0]!;
        card["contentType"]!.GetValue<string>().Should().Be("application/vnd.microsoft.card.adaptive");
        var inlines = card["content"]!["body"]![1]!["inlines"]!.AsArray();
        inlines[0]!["text"]!.GetValue<string>().Should().Be("0123456");
        inlines[0]!["selectAction"]!["url"]!.GetValue<string>().Should().Be($"https://git.example.com/org/repo/commit/{Id}");
        inlines[1]!["type"]!.GetValue<string>().Should().Be("TextRun", "a TextRun is never read as Markdown: no name can make a link");
        inlines[1]!["text"]!.GetValue<string>().Should().StartWith(" [UPDATE] ConfigMap/app");

        var (events, contentType) = NotificationPayload.For(EndpointType.CloudEvents, "ops/audit", [commit], 0);
        contentType.Should().Be("application/cloudevents-batch+json");
        var cloudEvent = JsonNode.Parse(events)![0]!;
        cloudEvent["id"]!.GetValue<string>().Should().Be($"ops/audit/{Id}");
        cloudEvent["subject"]!.GetValue<string>().Should().Be("ConfigMap/app in shop");
        cloudEvent["time"]!.GetValue<string>().Should().Be("2026-12-06T10:00:00Z");
        cloudEvent["data"]!["objects"]![0]!["changedFields"]![0]!.GetValue<string>().Should().Be("data.mode");

        var webhook = JsonNode.Parse(NotificationPayload.For(EndpointType.Webhook, "ops/audit", [commit], 2).Body)!;
        webhook["moreCommits"]!.GetValue<int>().Should().Be(2);
        webhook["commits"]![0]!["who"]!.GetValue<string>().Should().Be("user/alice@example.com");
    }

    [TestCase("CREATE", "ConfigMap", true)]
    [TestCase("DELETE", "ConfigMap", false)]
    [TestCase("UPDATE", "Secret", false)]
    [TestCase("UPDATE", "Certificate.cert-manager.io", true)]
    [TestCase("UPDATE", "Certificate.other.example.com", false)]
    [TestCase("UPDATE", "deployment", true)]
    public void AnEndpoint_WantsItsOperationsAndKinds(string operation, string kindFolder, bool wanted)
    {
        var endpoint = new EndpointSettings("e", EndpointType.Slack, "s", "url", ["CREATE", "UPDATE"], ["ConfigMap", "Certificate.cert-manager.io", "Deployment"]);

        endpoint.Wants(operation, kindFolder).Should().Be(wanted);
    }

    [TestCase("""{"commitUrl":"https://git.example.com/commit/","endpoints":[{"name":"a","type":"Slack","secretRef":{"name":"s"}}]}""",
        "notifications.commitUrl must be an http(s) URL holding {sha}, where each commit's id goes")]
    [TestCase("""{"endpoints":[{"name":"a","type":"Slack","secretRef":{"name":"s"}},{"name":"a","type":"Teams","secretRef":{"name":"t"}}]}""",
        "notifications.endpoints[1].name \"a\" is used twice: endpoints must have different names")]
    [TestCase("""{"batchWindow":"200ms","endpoints":[{"name":"a","type":"Slack","secretRef":{"name":"s"}}]}""", "notifications.batchWindow must be from 1s to 10m")]
    [TestCase("""{"endpoints":[]}""", "notifications.endpoints needs at least one endpoint")]
    [TestCase("""{"endpoints":[{"name":"a","type":"Pager","secretRef":{"name":"s"}}]}""", "notifications.endpoints[0].type: \"Pager\" is not one of Slack, Teams, Webhook, CloudEvents")]
    public void ABadNotificationsSpec_IsRefusedNamingItsField(string notifications, string message)
    {
        var obj = JsonNode.Parse("""{"metadata":{"name":"audit","namespace":"ns"},"spec":{"url":"https://x/r.git","notifications":""" + notifications + "}}")!.AsObject();

        var read = () => SpecReader.ReadRepo(obj);

        read.Should().Throw<SpecException>().WithMessage(message);
    }

    [Test]
    public void ANotificationsSpec_ReadsWithItsDefaults()
    {
        var obj = JsonNode.Parse("""{"metadata":{"name":"audit","namespace":"ns"},"spec":{"url":"https://x/r.git","notifications":{"endpoints":[{"name":"a","type":"CloudEvents","secretRef":{"name":"s"},"operations":["DELETE"]}]}}}""")!.AsObject();

        var settings = SpecReader.ReadRepo(obj).Notifications!;

        settings.BatchWindow.Should().Be(TimeSpan.FromSeconds(5));
        settings.Timeout.Should().Be(TimeSpan.FromSeconds(10));
        settings.CommitUrl.Should().BeNull();
        var endpoint = settings.Endpoints.Should().ContainSingle().Subject;
        (endpoint.Type, endpoint.SecretKey, endpoint.Operations.Single()).Should().Be((EndpointType.CloudEvents, "url", "DELETE"));
    }
}
