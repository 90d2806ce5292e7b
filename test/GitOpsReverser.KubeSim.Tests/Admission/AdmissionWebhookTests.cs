using System.Text.Json.Nodes;
using GitOpsReverser.KubeSim.Tests.Support;
using k8s;
using k8s.Autorest;
using k8s.Models;

namespace GitOpsReverser.KubeSim.Tests.Admission;

/// <summary>Validating webhooks stored in KubeSim are called over HTTPS with the caller's userInfo.</summary>
[Category("Integration")]
[NonParallelizable]
public sealed class AdmissionWebhookTests
{
    private RunningKubeSim sim = null!;
    private WebhookServer webhook = null!;
    private Kubernetes admin = null!;
    private Kubernetes alice = null!;
    private string ns = null!;

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        sim = await RunningKubeSim.StartAsync();
        webhook = await WebhookServer.StartAsync();
        admin = new Kubernetes(KubernetesClientConfiguration.BuildConfigFromConfigFile(sim.KubeconfigPath));
        var aliceToken = sim.Server.Authenticator.AddUser("alice", "developers");
        alice = new Kubernetes(KubernetesClientConfiguration.BuildConfigFromConfigFile(sim.KubeconfigFor(aliceToken)));
    }

    [OneTimeTearDown]
    public async Task StopAsync()
    {
        admin.Dispose();
        alice.Dispose();
        await webhook.DisposeAsync();
        await sim.DisposeAsync();
    }

    [SetUp]
    public async Task CreateNamespaceAsync()
    {
        ns = "a-" + Guid.NewGuid().ToString("N")[..10];
        await admin.CoreV1.CreateNamespaceAsync(new V1Namespace
        {
            Metadata = new V1ObjectMeta { Name = ns, Labels = new Dictionary<string, string> { ["webhook"] = ns } },
        });
    }

    [TearDown]
    public async Task RemoveWebhooksAsync()
    {
        foreach (var configuration in (await admin.AdmissionregistrationV1.ListValidatingWebhookConfigurationAsync()).Items)
        {
            await admin.AdmissionregistrationV1.DeleteValidatingWebhookConfigurationAsync(configuration.Metadata.Name);
        }
    }

    private Task RegisterAsync(string url, string failurePolicy, string? caBundle = null) =>
        admin.AdmissionregistrationV1.CreateValidatingWebhookConfigurationAsync(new V1ValidatingWebhookConfiguration
        {
            Metadata = new V1ObjectMeta { Name = "audit-" + ns },
            Webhooks =
            [
                new V1ValidatingWebhook
                {
                    Name = "audit.example.com",
                    AdmissionReviewVersions = ["v1"],
                    SideEffects = "None",
                    FailurePolicy = failurePolicy,
                    TimeoutSeconds = 2,
                    ClientConfig = new Admissionregistrationv1WebhookClientConfig
                    {
                        Url = url,
                        CaBundle = Convert.FromBase64String(caBundle ?? webhook.CaBundle),
                    },
                    NamespaceSelector = new V1LabelSelector { MatchLabels = new Dictionary<string, string> { ["webhook"] = ns } },
                    Rules =
                    [
                        new V1RuleWithOperations
                        {
                            Operations = ["CREATE", "UPDATE", "DELETE"],
                            ApiGroups = [""],
                            ApiVersions = ["v1"],
                            Resources = ["configmaps"],
                        },
                    ],
                },
            ],
        });

    private static V1ConfigMap ConfigMap(string name, bool deny = false) => new()
    {
        Metadata = new V1ObjectMeta
        {
            Name = name,
            Labels = deny ? new Dictionary<string, string> { ["deny"] = "true" } : null,
        },
        Data = new Dictionary<string, string> { ["k"] = "v" },
    };

    private List<JsonObject> RequestsFor(string name) =>
        [.. webhook.Requests.Where(request => (string?)request["namespace"] == ns && (string?)request["name"] == name)];

    [Test]
    public async Task Writes_AreReviewedWithUserInfoAndOldAndNewObjects()
    {
        await RegisterAsync(webhook.Url, "Fail");

        await alice.CoreV1.CreateNamespacedConfigMapAsync(ConfigMap("reviewed"), ns);
        await alice.CoreV1.PatchNamespacedConfigMapAsync(new V1Patch("{\"data\":{\"k\":\"2\"}}", V1Patch.PatchType.MergePatch), "reviewed", ns);
        await admin.CoreV1.DeleteNamespacedConfigMapAsync("reviewed", ns);

        var requests = RequestsFor("reviewed");
        requests.Select(request => (string?)request["operation"]).Should().Equal("CREATE", "UPDATE", "DELETE");
        var create = requests[0];
        ((string?)create["userInfo"]!["username"]).Should().Be("alice");
        create["userInfo"]!["groups"]!.AsArray().Select(group => (string?)group).Should().Contain("developers");
        ((string?)create["kind"]!["kind"]).Should().Be("ConfigMap");
        ((string?)create["resource"]!["resource"]).Should().Be("configmaps");
        create["oldObject"].Should().BeNull();
        ((string?)requests[1]["oldObject"]!["data"]!["k"]).Should().Be("v");
        ((string?)requests[1]["object"]!["data"]!["k"]).Should().Be("2");
        ((string?)requests[2]["userInfo"]!["username"]).Should().Be("kubesim-admin");
        requests[2]["object"].Should().BeNull();
    }

    [Test]
    public async Task Denial_StopsTheWriteWithTheWebhooksMessage()
    {
        await RegisterAsync(webhook.Url, "Fail");

        var create = () => alice.CoreV1.CreateNamespacedConfigMapAsync(ConfigMap("refused", deny: true), ns);

        var error = (await create.Should().ThrowAsync<HttpOperationException>()).Which;
        error.Response.StatusCode.Should().Be(System.Net.HttpStatusCode.Forbidden);
        error.Response.Content.Should().Contain("admission webhook \\\"audit.example.com\\\" denied the request: objects labelled deny=true are refused");
        (await admin.CoreV1.ListNamespacedConfigMapAsync(ns)).Items.Should().BeEmpty();
    }

    [Test]
    public async Task UnreachableWebhook_FailsTheWriteUnderFail_AndIsSkippedUnderIgnore()
    {
        var unreachable = "https://127.0.0.1:1/validate";
        await RegisterAsync(unreachable, "Fail");
        var create = () => admin.CoreV1.CreateNamespacedConfigMapAsync(ConfigMap("blocked"), ns);
        var error = (await create.Should().ThrowAsync<HttpOperationException>()).Which;
        error.Response.StatusCode.Should().Be(System.Net.HttpStatusCode.InternalServerError);
        error.Response.Content.Should().Contain("failed calling webhook");

        await RemoveWebhooksAsync();
        await RegisterAsync(unreachable, "Ignore");
        await admin.CoreV1.CreateNamespacedConfigMapAsync(ConfigMap("allowed"), ns);
    }

    [Test]
    public async Task WebhookWithAnotherCa_IsNotTrusted()
    {
        using var otherCa = GitOpsReverser.KubeSim.Security.CertificateAuthority.Create("other-ca");
        await RegisterAsync(webhook.Url, "Fail", Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(otherCa.CertificatePem)));

        var create = () => admin.CoreV1.CreateNamespacedConfigMapAsync(ConfigMap("untrusted"), ns);

        (await create.Should().ThrowAsync<HttpOperationException>()).Which.Response.StatusCode.Should().Be(System.Net.HttpStatusCode.InternalServerError);
        RequestsFor("untrusted").Should().BeEmpty();
    }
}
