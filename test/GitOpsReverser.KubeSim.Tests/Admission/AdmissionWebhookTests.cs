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

    private Task RegisterAsync(string url, string failurePolicy, string? caBundle = null,
        IList<V1MatchCondition>? matchConditions = null, Admissionregistrationv1ServiceReference? service = null) =>
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
                        Url = service is null ? url : null,
                        Service = service,
                        CaBundle = Convert.FromBase64String(caBundle ?? webhook.CaBundle),
                    },
                    MatchConditions = matchConditions,
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
    public async Task MatchConditions_LeaveOutAUser_AndOneKubeSimCannotEvaluateFallsToTheFailurePolicy()
    {
        await RegisterAsync(webhook.Url, "Fail", matchConditions: [new V1MatchCondition { Expression = "request.userInfo.username != 'alice'", Name = "not-alice" }]);

        await alice.CoreV1.CreateNamespacedConfigMapAsync(ConfigMap("by-alice"), ns);
        await admin.CoreV1.CreateNamespacedConfigMapAsync(ConfigMap("by-admin"), ns);

        RequestsFor("by-alice").Should().BeEmpty("the condition leaves alice's requests out");
        RequestsFor("by-admin").Should().ContainSingle();

        await RemoveWebhooksAsync();
        await RegisterAsync(webhook.Url, "Fail", matchConditions: [new V1MatchCondition { Expression = "has(object.metadata.labels)", Name = "labelled" }]);
        var failed = () => admin.CoreV1.CreateNamespacedConfigMapAsync(ConfigMap("unevaluated"), ns);
        (await failed.Should().ThrowAsync<HttpOperationException>()).Which.Response.StatusCode.Should().Be(System.Net.HttpStatusCode.InternalServerError);
    }

    [Test]
    public async Task ServiceWebhook_IsCalledAtAReadyPodOfTheService_UnderTheServicesName()
    {
        await using var served = await WebhookServer.StartAsync($"audit.{ns}.svc");
        var port = new Uri(served.Url).Port;
        await admin.CoreV1.CreateNamespacedServiceAsync(new V1Service
        {
            Metadata = new V1ObjectMeta { Name = "audit" },
            Spec = new V1ServiceSpec
            {
                Selector = new Dictionary<string, string> { ["app"] = "audit" },
                Ports = [new V1ServicePort { Port = 443, TargetPort = "webhook" }],
            },
        }, ns);
        // A pod that is not ready is no endpoint: its address (TEST-NET-1) would not answer.
        await CreatePodAsync("audit-0", port, ready: false, "192.0.2.1");
        await CreatePodAsync("audit-1", port, ready: true, "127.0.0.1");
        await RegisterAsync("", "Fail", served.CaBundle,
            service: new Admissionregistrationv1ServiceReference { Name = "audit", NamespaceProperty = ns, Path = "/validate", Port = 443 });

        await admin.CoreV1.CreateNamespacedConfigMapAsync(ConfigMap("through-service"), ns);

        served.Requests.Should().ContainSingle(request => (string?)request["name"] == "through-service");
    }

    [Test]
    public async Task ServiceWebhook_WithPublishNotReadyAddresses_IsCalledAtAPodThatIsNotReady()
    {
        await using var served = await WebhookServer.StartAsync($"leader.{ns}.svc");
        var port = new Uri(served.Url).Port;
        await admin.CoreV1.CreateNamespacedServiceAsync(new V1Service
        {
            Metadata = new V1ObjectMeta { Name = "leader" },
            Spec = new V1ServiceSpec
            {
                Selector = new Dictionary<string, string> { ["app"] = "audit" },
                Ports = [new V1ServicePort { Port = 443, TargetPort = "webhook" }],
                PublishNotReadyAddresses = true,
            },
        }, ns);
        await CreatePodAsync("leader-0", port, ready: false, "127.0.0.1");
        await RegisterAsync("", "Fail", served.CaBundle,
            service: new Admissionregistrationv1ServiceReference { Name = "leader", NamespaceProperty = ns, Path = "/validate", Port = 443 });

        await admin.CoreV1.CreateNamespacedConfigMapAsync(ConfigMap("not-ready-yet"), ns);

        served.Requests.Should().ContainSingle(request => (string?)request["name"] == "not-ready-yet");
    }

    private async Task CreatePodAsync(string name, int port, bool ready, string podIp)
    {
        await admin.CoreV1.CreateNamespacedPodAsync(new V1Pod
        {
            Metadata = new V1ObjectMeta { Name = name, Labels = new Dictionary<string, string> { ["app"] = "audit" } },
            Spec = new V1PodSpec { Containers = [new V1Container { Name = "webhook", Image = "audit:1", Ports = [new V1ContainerPort { ContainerPort = port, Name = "webhook" }] }] },
        }, ns);
        await admin.CoreV1.PatchNamespacedPodStatusAsync(new V1Patch(new JsonObject
        {
            ["status"] = new JsonObject
            {
                ["phase"] = "Running",
                ["podIP"] = podIp,
                ["conditions"] = new JsonArray(new JsonObject { ["type"] = "Ready", ["status"] = ready ? "True" : "False" }),
            },
        }.ToJsonString(), V1Patch.PatchType.MergePatch), name, ns);
    }

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
