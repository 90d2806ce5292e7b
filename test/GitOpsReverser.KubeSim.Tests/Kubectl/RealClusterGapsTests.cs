using System.Text.Json.Nodes;
using GitOpsReverser.KubeSim.Tests.Support;

namespace GitOpsReverser.KubeSim.Tests.Kubectl;

/// <summary>
/// What kubernetes-client/csharp's E2E suite found KubeSim doing differently from a real API server, each
/// pinned with kubectl 1.34: the scale subresource, Pod logs and exec without a node, the kubernetes Service,
/// Node defaults, and the Job and Node tables.
/// </summary>
[Category("Integration")]
public sealed class RealClusterGapsTests() : KubectlFixture("installed")
{
    private Task<KubectlResult> Run(string arguments, string? stdin = null) => Kubectl.RunAsync($"-n {Ns} {arguments}", stdin);

    [TestCase("deployment", "apps/v1", "Deployment")]
    [TestCase("replicaset", "apps/v1", "ReplicaSet")]
    [TestCase("statefulset", "apps/v1", "StatefulSet")]
    public async Task Scale_ChangesReplicas_ThroughTheScaleSubresource(string resource, string apiVersion, string kind)
    {
        (await Run("apply -f -", $$$"""
            apiVersion: {{{apiVersion}}}
            kind: {{{kind}}}
            metadata: {name: web}
            spec:
              replicas: 1
              serviceName: web
              selector: {matchLabels: {app: web, tier: front}}
              template:
                metadata: {labels: {app: web, tier: front}}
                spec: {containers: [{name: c, image: nginx}]}
            """)).ShouldSucceed();

        (await Run($"scale {resource} web --replicas=3")).ShouldSucceed().Output.Should().Contain($"{resource}.apps/web scaled");
        var scale = JsonNode.Parse((await Run($"get --raw /apis/apps/v1/namespaces/{Ns}/{resource}s/web/scale")).ShouldSucceed().Output)!;
        var negative = await Run($"scale {resource} web --replicas=-1");

        (await Run($"get {resource} web -o jsonpath={{.spec.replicas}}/{{.metadata.generation}}")).ShouldSucceed().Output.Should().Be("3/2");
        ((string?)scale["kind"]).Should().Be("Scale");
        ((string?)scale["apiVersion"]).Should().Be("autoscaling/v1");
        ((int?)scale["spec"]!["replicas"]).Should().Be(3);
        ((string?)scale["status"]!["selector"]).Should().Be("app=web,tier=front");
        negative.ExitCode.Should().NotBe(0);
    }

    [Test]
    public async Task Scale_Negative_IsInvalid_AsTheApiServerSaysIt()
    {
        (await Run("create deployment web --image=nginx")).ShouldSucceed();

        var result = await Kubectl.RunAsync($"-n {Ns} patch deployment web --subresource=scale --type=merge -p {{\"spec\":{{\"replicas\":-1}}}}");

        result.Error.Trim().Should().Be("The Scale \"web\" is invalid: spec.replicas: Invalid value: -1: must be greater than or equal to 0");
    }

    [Test]
    public async Task LogsAndExec_OfAPodWithoutANode_AreEmptyAndRefused()
    {
        (await Run("run web --image=nginx")).ShouldSucceed();
        (await Run("apply -f -", """
            apiVersion: v1
            kind: Pod
            metadata: {name: two}
            spec: {containers: [{name: a, image: nginx}, {name: b, image: nginx}]}
            """)).ShouldSucceed();

        var logs = await Run("logs web");
        var exec = await Run("exec web -- ls");
        // kubectl picks a container itself ("Defaulted container"); the API names them when asked without one.
        var ambiguous = await Kubectl.RunAsync($"get --raw /api/v1/namespaces/{Ns}/pods/two/log");
        var wrong = await Run("logs web -c nope");

        logs.ShouldSucceed().Output.Should().BeEmpty();
        exec.ExitCode.Should().NotBe(0);
        exec.Error.Should().Contain("pod web does not have a host assigned");
        ambiguous.Error.Should().Contain("a container name must be specified for pod two, choose one of: [a b]");
        wrong.Error.Should().Contain("container nope is not valid for pod web");
    }

    [Test]
    public async Task KubernetesService_IsThereFromTheStart()
    {
        var service = (await Kubectl.RunAsync("get service kubernetes -n default")).ShouldSucceed().Output;

        service.Should().MatchRegex(@"kubernetes\s+ClusterIP\s+10\.96\.0\.1\s+<none>\s+443/TCP");
    }

    [Test]
    public async Task Node_WithoutSpecOrStatus_ReadsBackWithBoth_AndPrintsItsColumns()
    {
        var name = "node-" + Ns;
        (await Kubectl.RunAsync("apply -f -", $$"""
            apiVersion: v1
            kind: Node
            metadata:
              name: {{name}}
              labels: {node-role.kubernetes.io/control-plane: ""}
            """)).ShouldSucceed();
        (await Kubectl.RunAsync("create --raw /api/v1/nodes -f -", $$$"""
            {"apiVersion":"v1","kind":"Node","metadata":{"name":"{{{name}}}-ready"},
             "status":{"conditions":[{"type":"Ready","status":"True"}],"nodeInfo":{"kubeletVersion":"v1.34.0"},
                       "addresses":[{"type":"InternalIP","address":"10.0.0.7"}],"capacity":{"cpu":"2"}}
            }
            """)).ShouldSucceed();

        var node = JsonNode.Parse((await Kubectl.RunAsync($"get node {name} -o json")).ShouldSucceed().Output)!;
        var ready = JsonNode.Parse((await Kubectl.RunAsync($"get node {name}-ready -o json")).ShouldSucceed().Output)!;
        var table = (await Kubectl.RunAsync($"get nodes {name} {name}-ready -o wide")).ShouldSucceed().Output;

        node["spec"]!.ToJsonString().Should().Be("{}");
        node["status"]!["daemonEndpoints"]!.ToJsonString().Should().Be("""{"kubeletEndpoint":{"Port":0}}""");
        ((string?)node["status"]!["nodeInfo"]!["kubeletVersion"]).Should().Be("");
        ((string?)ready["status"]!["allocatable"]!["cpu"]).Should().Be("2", "allocatable defaults to capacity");
        table.Should().MatchRegex(@"NAME\s+STATUS\s+ROLES\s+AGE\s+VERSION\s+INTERNAL-IP\s+EXTERNAL-IP\s+OS-IMAGE\s+KERNEL-VERSION\s+CONTAINER-RUNTIME");
        table.Should().MatchRegex($@"{name}\s+Unknown\s+control-plane\s+\S+\s+<none>\s+<none>\s+<unknown>");
        table.Should().MatchRegex($@"{name}-ready\s+Ready\s+<none>\s+\S+\s+v1\.34\.0\s+10\.0\.0\.7\s+<none>");
        (await Kubectl.RunAsync($"delete node {name} {name}-ready")).ShouldSucceed();
    }

    [Test]
    public async Task Jobs_PrintTheirStatusCompletionsAndDuration()
    {
        (await Run("create job backup --image=busybox -- true")).ShouldSucceed();

        var table = (await Run("get jobs")).ShouldSucceed().Output;

        table.Should().MatchRegex(@"NAME\s+STATUS\s+COMPLETIONS\s+DURATION\s+AGE");
        table.Should().MatchRegex(@"backup\s+Running\s+0/1\s+\S+");
    }
}
