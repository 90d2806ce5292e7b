using System.Text.Json.Nodes;
using GitOpsReverser.Attribution;
using GitOpsReverser.Control;
using GitOpsReverser.IntegrationTests.TestSupport;
using GitOpsReverser.KubeSim.Hosting;
using Microsoft.Extensions.Logging.Abstractions;

namespace GitOpsReverser.IntegrationTests.Attribution;

/// <summary>
/// The webhook's Secrets: its certificate, one for every replica, renewed within 30 days of expiry; its capability,
/// one for every replica, made anew with the certificate, the old one accepted for a while.
/// </summary>
[Category("Integration")]
public sealed class WebhookCertificatesTests
{
    private KubeSimServer sim = null!;
    private HttpClient http = null!;

    // KubeSim with the namespace "ops", and a client of its administrator.
    [SetUp]
    public async Task StartAsync()
    {
        sim = await KubeSimServer.StartAsync(new KubeSimOptions());
        http = KubeSimHttp.For(sim);
        using var ns = await http.PostAsync("api/v1/namespaces", new StringContent("""{"apiVersion":"v1","kind":"Namespace","metadata":{"name":"ops"}}""",
            System.Text.Encoding.UTF8, "application/json"));
        ns.EnsureSuccessStatusCode();
    }

    [TearDown]
    public async Task StopAsync()
    {
        http.Dispose();
        await sim.DisposeAsync();
    }

    [Test]
    public async Task TheFirstReplicaMakesIt_TheOthersServeTheSame_AndItIsRenewedBeforeExpiry()
    {
        var time = new ManualTime(DateTimeOffset.UtcNow);
        var options = new OperatorOptions { Namespace = "ops", WebhookUrl = "https://127.0.0.1:9443" }.ForAttribution();
        var first = new WebhookCertificates(http, options, time, NullLogger<WebhookCertificates>.Instance);
        var second = new WebhookCertificates(http, options, time, NullLogger<WebhookCertificates>.Instance);

        await first.EnsureAsync(CancellationToken.None);
        await second.EnsureAsync(CancellationToken.None);

        second.Current!.Thumbprint.Should().Be(first.Current!.Thumbprint, "every replica serves the certificate of the Secret");
        second.CaBundle.Should().Be(first.CaBundle);
        first.Current.MatchesHostname("gitops-reverser-webhook.ops.svc").Should().BeTrue();
        first.Current.MatchesHostname("127.0.0.1").Should().BeTrue("the host of --webhook-url");
        first.Current.HasPrivateKey.Should().BeTrue();
        var secret = JsonNode.Parse(await http.GetStringAsync("api/v1/namespaces/ops/secrets/gitops-reverser-webhook-tls"))!;
        ((string?)secret["type"]).Should().Be("kubernetes.io/tls");

        time.Advance(TimeSpan.FromDays(300));
        await first.EnsureAsync(CancellationToken.None);
        first.Current.Thumbprint.Should().Be(second.Current.Thumbprint, "65 days before expiry nothing changes");

        time.Advance(TimeSpan.FromDays(40));
        var before = second.Current.Thumbprint;
        await second.EnsureAsync(CancellationToken.None);
        second.Current.Thumbprint.Should().NotBe(before, "25 days before expiry a new certificate is made");
        await first.EnsureAsync(CancellationToken.None);
        first.Current.Thumbprint.Should().Be(second.Current.Thumbprint, "the replica that renews writes the Secret, the other reads it");
        first.Current.NotAfter.Should().BeAfter(time.GetUtcNow().UtcDateTime.AddDays(300), "within 30 days of expiry a new one is made");
    }

    [Test]
    public async Task ACertificateSomeoneElseKeeps_IsServedAsItIs_AndNeverWritten()
    {
        var time = new ManualTime(DateTimeOffset.UtcNow);

        // What cert-manager would leave in the Secret: made here by the operator's own code, then copied.
        var maker = new WebhookCertificates(http, new OperatorOptions { Namespace = "ops" }.ForAttribution(), time, NullLogger<WebhookCertificates>.Instance);
        await maker.EnsureAsync(CancellationToken.None);
        var made = JsonNode.Parse(await http.GetStringAsync("api/v1/namespaces/ops/secrets/gitops-reverser-webhook-tls"))!.AsObject();
        var kept = new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "Secret",
            ["metadata"] = new JsonObject { ["name"] = "kept-tls", ["namespace"] = "ops" },
            ["type"] = "kubernetes.io/tls",
            ["data"] = made["data"]!.DeepClone(),
        };
        using var created = await http.PostAsync("api/v1/namespaces/ops/secrets", new StringContent(kept.ToJsonString(), System.Text.Encoding.UTF8, "application/json"));
        created.EnsureSuccessStatusCode();
        var version = (string?)JsonNode.Parse(await http.GetStringAsync("api/v1/namespaces/ops/secrets/kept-tls"))!["metadata"]!["resourceVersion"];

        var served = new WebhookCertificates(http, new OperatorOptions { Namespace = "ops", WebhookCertificateSecret = "kept-tls" }.ForAttribution(), time,
            NullLogger<WebhookCertificates>.Instance);
        time.Advance(TimeSpan.FromDays(360));
        await served.EnsureAsync(CancellationToken.None);

        served.Current!.Thumbprint.Should().Be(maker.Current!.Thumbprint);
        served.CaBundle.Should().Be(maker.CaBundle);
        ((string?)JsonNode.Parse(await http.GetStringAsync("api/v1/namespaces/ops/secrets/kept-tls"))!["metadata"]!["resourceVersion"])
            .Should().Be(version, "renewing it is cert-manager's job, even five days before expiry");
    }

    private readonly Microsoft.Extensions.Time.Testing.FakeTimeProvider capabilityTime = new(DateTimeOffset.Parse("2026-12-06T10:00:00Z", System.Globalization.CultureInfo.InvariantCulture));

    private WebhookCapability Replica() => new(http, new OperatorOptions { Namespace = "ops" }.ForAttribution(), capabilityTime, NullLogger<WebhookCapability>.Instance);

    [Test]
    public async Task EveryReplica_SharesOneCapability_OfAtLeast128Bits_AndOnlyItIsAccepted()
    {
        var first = Replica();
        var second = Replica();
        first.Path.Should().BeNull();
        await first.EnsureAsync("certificate-1", CancellationToken.None);
        await second.EnsureAsync("certificate-1", CancellationToken.None);

        first.Path.Should().MatchRegex("^/attribution/[A-Za-z0-9_-]{43}$", "256 random bits, URL-safe");
        second.Path.Should().Be(first.Path);
        var capability = first.Path!["/attribution/".Length..];
        second.Accepts(capability).Should().BeTrue();
        second.Accepts(capability[..^1]).Should().BeFalse();
        second.Accepts(capability + "x").Should().BeFalse();
        second.Accepts("").Should().BeFalse();
        Replica().Accepts(capability).Should().BeFalse("a replica that has not read the Secret accepts nothing");
    }

    [Test]
    public async Task ANewCertificate_RotatesIt_AndTheOldOneIsAcceptedForTheGracePeriodOnly()
    {
        var leader = Replica();
        var standby = Replica();
        await leader.EnsureAsync("certificate-1", CancellationToken.None);
        var old = leader.Path!["/attribution/".Length..];

        await leader.EnsureAsync("certificate-2", CancellationToken.None);
        await standby.EnsureAsync("certificate-2", CancellationToken.None);
        var rotated = leader.Path!["/attribution/".Length..];

        rotated.Should().NotBe(old);
        standby.Path.Should().Be(leader.Path, "the replica that reads after the rotation takes the new one");
        foreach (var replica in new[] { leader, standby })
        {
            replica.Accepts(rotated).Should().BeTrue();
            replica.Accepts(old).Should().BeTrue("the registration may still name the old path for a moment");
        }

        capabilityTime.Advance(WebhookCapability.Grace);
        leader.Accepts(old).Should().BeFalse();
        leader.Accepts(rotated).Should().BeTrue();
    }
}
