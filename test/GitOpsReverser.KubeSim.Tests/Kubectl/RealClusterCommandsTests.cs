using System.Text.Json.Nodes;
using GitOpsReverser.KubeSim.Tests.Support;

namespace GitOpsReverser.KubeSim.Tests.Kubectl;

/// <summary>
/// What users type against a real cluster, with kubectl 1.34 and the machine's 1.32: the imperative
/// <c>create</c> commands (which send protobuf), real-world install manifests mixing NetworkPolicy, webhook
/// configurations and RBAC names with colons, the annotation limit of client-side apply, and the defaults a
/// real server shows in <c>get -o yaml</c>.
/// </summary>
[TestFixture("installed")]
[TestFixture("preinstalled")]
[Category("Integration")]
public sealed class RealClusterCommandsTests(string which) : KubectlFixture(which)
{
    // Shaped like cert-manager's and Argo CD's install manifests: kubectl downloads the OpenAPI of every kind
    // in the file first, so one kind the server does not serve would stop the whole file.
    private const string InstallManifests = """
        apiVersion: networking.k8s.io/v1
        kind: NetworkPolicy
        metadata: {name: argocd-server-network-policy}
        spec:
          podSelector: {matchLabels: {app.kubernetes.io/name: argocd-server}}
          ingress: [{}]
          policyTypes: [Ingress]
        ---
        apiVersion: admissionregistration.k8s.io/v1
        kind: MutatingWebhookConfiguration
        metadata: {name: NAME-webhook}
        webhooks:
        - name: webhook.cert-manager.io
          admissionReviewVersions: [v1]
          sideEffects: None
          clientConfig: {service: {name: cert-manager-webhook, namespace: cert-manager, path: /mutate}}
          rules: [{apiGroups: [cert-manager.io], apiVersions: [v1], operations: [CREATE, UPDATE], resources: [certificaterequests]}]
        ---
        apiVersion: rbac.authorization.k8s.io/v1
        kind: Role
        metadata: {name: "cert-manager:leaderelection"}
        rules: [{apiGroups: [coordination.k8s.io], resources: [leases], verbs: [get, create, update, patch]}]
        ---
        apiVersion: rbac.authorization.k8s.io/v1
        kind: ClusterRole
        metadata: {name: "NAME:controller-issuers"}
        rules: [{apiGroups: [cert-manager.io], resources: [issuers], verbs: [get, list, watch]}]
        ---
        apiVersion: v1
        kind: ConfigMap
        metadata: {name: argocd-cm}
        data: {url: "https://argocd.example.com"}
        """;

    private Task<KubectlResult> Run(string arguments, string? stdin = null) => Kubectl.RunAsync($"-n {Ns} {arguments}", stdin);

    [Test]
    public async Task ImperativeCreates_Work_AndShowTheServersDefaults()
    {
        foreach (var command in new[]
        {
            "create deployment web --image=nginx:1.27 --replicas=2 --port=80",
            "create service clusterip web --tcp=80:8080",
            "create service nodeport edge --tcp=80",
            "create job once --image=busybox -- echo hi",
            "create cronjob nightly --image=busybox --schedule=@daily",
            "create poddisruptionbudget web --selector=app=web --min-available=1",
            "create ingress web --rule=shop.example.com/=web:80",
            "create quota pods --hard=pods=10,cpu=4",
            "expose deployment web --port=8080 --target-port=80 --name=web-alt",
        })
        {
            (await Run(command)).ShouldSucceed(command);
        }

        var deployment = await GetAsync("deployment web");
        ((long?)deployment["spec"]!["replicas"]).Should().Be(2);
        ((string?)deployment["spec"]!["strategy"]!["rollingUpdate"]!["maxSurge"]).Should().Be("25%");
        var container = deployment["spec"]!["template"]!["spec"]!["containers"]![0]!;
        ((string?)container["imagePullPolicy"]).Should().Be("IfNotPresent");
        ((string?)container["ports"]![0]!["protocol"]).Should().Be("TCP");
        var service = await GetAsync("service web");
        ((string?)service["spec"]!["clusterIP"]).Should().StartWith("10.");
        ((long?)service["spec"]!["ports"]![0]!["targetPort"]).Should().Be(8080);
        ((long?)(await GetAsync("service edge"))["spec"]!["ports"]![0]!["nodePort"]).Should().BeInRange(30000, 32767);
        ((long?)(await GetAsync("service web-alt"))["spec"]!["ports"]![0]!["targetPort"]).Should().Be(80);
        var job = await GetAsync("job once");
        ((string?)job["spec"]!["selector"]!["matchLabels"]!["batch.kubernetes.io/controller-uid"]).Should().Be((string?)job["metadata"]!["uid"]);
        ((string?)(await GetAsync("cronjob nightly"))["spec"]!["concurrencyPolicy"]).Should().Be("Allow");
        ((long?)(await GetAsync("pdb web"))["spec"]!["minAvailable"]).Should().Be(1);
        ((long?)(await GetAsync("ingress web"))["spec"]!["rules"]![0]!["http"]!["paths"]![0]!["backend"]!["service"]!["port"]!["number"]).Should().Be(80);
        ((string?)(await GetAsync("quota pods"))["spec"]!["hard"]!["cpu"]).Should().Be("4");
        (await Run("get service web")).ShouldSucceed().Output.Should().MatchRegex(@"web\s+ClusterIP\s+10\.\d+\.\d+\.\d+\s+<none>\s+80/TCP");
        var rules = await Run("auth can-i --list");
        rules.ExitCode.Should().Be(0, rules.Error);
        rules.Output.Should().StartWith("Resources");
    }

    [Test]
    public async Task EmptyDataMaps_AreNotStored_AsGosOmitemptyLeavesThemOut()
    {
        (await Run("apply -f -", "apiVersion: v1\nkind: Secret\nmetadata: {name: empty}\ndata: {}\n---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: empty}\ndata: {}\nbinaryData: {}\n"))
            .ShouldSucceed();

        var secret = await GetAsync("secret empty");
        secret.ContainsKey("data").Should().BeFalse();
        ((string?)secret["type"]).Should().Be("Opaque");
        var configMap = await GetAsync("configmap empty");
        configMap.ContainsKey("data").Should().BeFalse();
        configMap.ContainsKey("binaryData").Should().BeFalse();
        (await Run("create secret generic filled --from-literal=k=v")).ShouldSucceed();
        ((string?)(await GetAsync("secret filled"))["data"]!["k"]).Should().Be("dg==");
    }

    [Test]
    public async Task InstallManifests_WithEveryKindServed_ApplyWhole()
    {
        var manifests = InstallManifests.Replace("NAME", Ns, StringComparison.Ordinal);

        var result = await Run("apply -f -", manifests);

        result.ShouldSucceed();
        result.Output.Should().Contain("networkpolicy.networking.k8s.io/argocd-server-network-policy created")
            .And.Contain($"mutatingwebhookconfiguration.admissionregistration.k8s.io/{Ns}-webhook created")
            .And.Contain("role.rbac.authorization.k8s.io/cert-manager:leaderelection created")
            .And.Contain($"clusterrole.rbac.authorization.k8s.io/{Ns}:controller-issuers created")
            .And.Contain("configmap/argocd-cm created");
        (await Run("get networkpolicy,role")).ShouldSucceed().Output.Should().Contain("cert-manager:leaderelection");
        (await Run("create configmap bad:name --from-literal=a=b")).ExitCode.Should().NotBe(0, "a ConfigMap name must be a DNS subdomain");
    }

    [Test]
    public async Task ClientSideApply_OfAnObjectWhoseLastAppliedAnnotationIsTooLong_IsRefused()
    {
        var big = new string('x', 270_000);
        var manifest = $"apiVersion: v1\nkind: ConfigMap\nmetadata: {{name: huge}}\ndata: {{blob: {big}}}\n";

        var result = await Run("apply -f -", manifest);

        result.ExitCode.Should().NotBe(0);
        result.Error.Should().Contain("metadata.annotations: Too long: may not be more than 262144 bytes");
        (await Run("apply --server-side -f -", manifest)).ShouldSucceed("server-side apply writes no last-applied annotation");
    }

    [Test]
    public async Task APod_ReadBack_IsPendingAndDefaulted_AndItsDeleteWorks()
    {
        (await Run("run debug --image=busybox:1.36 -- sleep 3600")).ShouldSucceed();

        var pod = await GetAsync("pod debug");

        ((string?)pod["status"]!["phase"]).Should().Be("Pending");
        ((string?)pod["spec"]!["restartPolicy"]).Should().Be("Always");
        ((long?)pod["spec"]!["terminationGracePeriodSeconds"]).Should().Be(30);
        ((string?)pod["spec"]!["volumes"]![0]!["name"]).Should().StartWith("kube-api-access-");
        (await Run("get pod debug")).ShouldSucceed().Output.Should().Contain("debug").And.Contain("Pending");
        (await Run("delete pod debug")).ShouldSucceed().Output.Should().Contain("pod \"debug\" deleted");
    }

    private async Task<JsonObject> GetAsync(string what) => JsonNode.Parse((await Run($"get {what} -o json")).ShouldSucceed().Output)!.AsObject();
}
