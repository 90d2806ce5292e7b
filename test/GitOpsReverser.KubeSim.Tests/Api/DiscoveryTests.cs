using GitOpsReverser.KubeSim.Api;
using GitOpsReverser.KubeSim.Tests.Support;

namespace GitOpsReverser.KubeSim.Tests.Api;

[Category("Integration")]
public sealed class DiscoveryTests : KubeSimTestBase
{
    [Test]
    public async Task Aggregated_IsAnsweredWithExactlyItsContentType()
    {
        var (code, body, response) = await Http.SendAsync(HttpMethod.Get, "/apis",
            accept: "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,application/json");

        code.Should().Be(200);
        // HttpClient re-renders the header with spaces after ';'; the bytes on the wire have none (kubectl tests prove them).
        response.Content.Headers.NonValidated["Content-Type"].ToString().Replace(" ", "", StringComparison.Ordinal).Should().Be(Discovery.AggregatedContentType);
        ((string?)body["kind"]).Should().Be("APIGroupDiscoveryList");
        var apps = body["items"]!.AsArray().Single(item => (string?)item!["metadata"]!["name"] == "apps")!;
        var deployments = apps["versions"]![0]!["resources"]!.AsArray().Single(resource => (string?)resource!["resource"] == "deployments")!;
        ((string?)deployments["scope"]).Should().Be("Namespaced");
        deployments["subresources"]!.AsArray().Select(subresource => (string?)subresource!["subresource"]).Should().Equal("scale", "status");
        ((string?)deployments["subresources"]![0]!["responseKind"]!["kind"]).Should().Be("Scale");
        deployments["shortNames"]!.AsArray().Select(name => (string?)name).Should().Equal("deploy");
    }

    [Test]
    public async Task Legacy_DescribesGroupsAndResources()
    {
        var core = await Http.GetAsync("/api");
        ((string?)core["kind"]).Should().Be("APIVersions");
        var groups = await Http.GetAsync("/apis");
        groups["groups"]!.AsArray().Select(group => (string?)group!["name"]).Should().Contain(["apps", "rbac.authorization.k8s.io", "apiextensions.k8s.io"]);

        var resources = (await Http.GetAsync("/api/v1"))["resources"]!.AsArray();
        var names = resources.Select(resource => (string?)resource!["name"]).ToList();
        names.Should().Contain(["configmaps", "namespaces", "namespaces/status", "pods/exec", "pods/log", "pods/status"]).And.NotContain("configmaps/status");
        var secrets = resources.Single(resource => (string?)resource!["name"] == "secrets")!;
        ((bool)secrets["namespaced"]!).Should().BeTrue();
        secrets["verbs"]!.AsArray().Select(verb => (string?)verb).Should().Contain(["get", "list", "watch", "create", "patch", "delete"]);
        (await Http.SendAsync(HttpMethod.Get, "/apis/nothing.example.com/v1")).Code.Should().Be(404);
    }

    [Test]
    public async Task Crd_AppearsInDiscoveryAndOpenApiAtOnce_AndItsDeletionRemovesItsObjects()
    {
        var (crd, group) = Crds.Widget();
        var indexBefore = await Http.GetAsync("/openapi/v3");

        var created = await Http.CreateAsync("/apis/apiextensions.k8s.io/v1/customresourcedefinitions", crd);

        created["status"]!["conditions"]!.AsArray().Select(condition => (string?)condition!["type"]).Should().Equal("NamesAccepted", "Established");
        var resources = (await Http.GetAsync($"/apis/{group}/v1"))["resources"]!.AsArray().Select(resource => (string?)resource!["name"]);
        resources.Should().Equal("widgets", "widgets/status");
        (await Http.GetAsync($"/apis/{group}/v1beta1"))["resources"]!.AsArray().Select(resource => (string?)resource!["name"]).Should().Equal("widgets");
        var index = await Http.GetAsync("/openapi/v3");
        indexBefore["paths"]!.AsObject().ContainsKey($"apis/{group}/v1").Should().BeFalse();
        var document = await Http.GetAsync((string)index["paths"]![$"apis/{group}/v1"]!["serverRelativeURL"]!);
        var paths = document["paths"]!.AsObject();
        paths.Select(pair => pair.Key).Should().Contain($"/apis/{group}/v1/namespaces/{{namespace}}/widgets/{{name}}");
        var patch = paths[$"/apis/{group}/v1/namespaces/{{namespace}}/widgets/{{name}}"]!["patch"]!;
        ((string?)patch["x-kubernetes-group-version-kind"]!["kind"]).Should().Be("Widget");
        patch["parameters"]!.AsArray().Select(parameter => (string?)parameter!["name"]).Should().Contain("fieldValidation");

        await Http.CreateAsync($"/apis/{group}/v1/namespaces/default/widgets", Crds.WidgetObject(group, "w1", 1));
        (await Http.SendAsync(HttpMethod.Delete, $"/apis/apiextensions.k8s.io/v1/customresourcedefinitions/widgets.{group}")).Code.Should().Be(200);

        (await Http.SendAsync(HttpMethod.Get, $"/apis/{group}/v1")).Code.Should().Be(404);
        (await Http.SendAsync(HttpMethod.Get, $"/apis/{group}/v1/namespaces/default/widgets/w1")).Code.Should().Be(404);
        Sim.Server.Store.Count($"widgets.{group}").Should().Be(0);
    }

    [Test]
    public async Task GroupOfSeveralCrds_PrefersItsHighestPriorityVersion_AndServesEveryKind()
    {
        var (crds, group) = Crds.SplitGroup();
        foreach (var crd in crds)
        {
            await Http.CreateAsync("/apis/apiextensions.k8s.io/v1/customresourcedefinitions", crd);
        }

        var document = await Http.GetAsync($"/apis/{group}");
        ((string?)document["preferredVersion"]!["version"]).Should().Be("v1", "GA wins over beta and alpha, whatever the CRDs' names");
        document["versions"]!.AsArray().Select(version => (string?)version!["version"]).Should().Equal("v1", "v1beta1", "v1alpha1");
        var kubectl = new TestServers.Kubectl(TestServers.Kubectl.Installed, Sim.KubeconfigPath, Path.Combine(Sim.Directory, "cache-versions"));
        var resources = await kubectl.RunAsync($"api-resources --api-group={group} -o name");
        resources.ShouldSucceed();
        resources.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Should().BeEquivalentTo(
            $"doohickeys.{group}", $"gadgets.{group}", $"gizmos.{group}");
    }

    [Test]
    public void VersionOrder_IsTheApiServersPriority()
    {
        string[] versions = ["v1alpha1", "v11alpha2", "foo1", "v10beta3", "v1", "v12alpha1", "v2", "foo10", "v1beta2", "v3beta1", "v10", "v1beta1"];

        versions.Order(VersionOrder.Instance).Should().Equal(
            "v10", "v2", "v1", "v10beta3", "v3beta1", "v1beta2", "v1beta1", "v12alpha1", "v11alpha2", "v1alpha1", "foo1", "foo10");
    }

    [Test]
    public async Task Crd_WithBadNames_IsInvalid()
    {
        var (crd, _) = Crds.Widget();
        crd["metadata"]!["name"] = "wrong.example.com";

        var (code, body, _) = await Http.SendAsync(HttpMethod.Post, "/apis/apiextensions.k8s.io/v1/customresourcedefinitions", crd);

        code.Should().Be(422);
        ((string?)body["reason"]).Should().Be("Invalid");
        ((string?)body["details"]!["causes"]![0]!["field"]).Should().Be("metadata.name");
    }

    [Test]
    public async Task OpenApiV2_IsNotServed_AndVersionIsAnonymous()
    {
        (await Http.SendAsync(HttpMethod.Get, "/openapi/v2")).Code.Should().Be(404);
        using var anonymous = new KubeHttp(Sim.Server, token: null);
        var (code, body, _) = await anonymous.SendAsync(HttpMethod.Get, "/version");
        code.Should().Be(200);
        ((string?)body["major"]).Should().Be("1");
        (await anonymous.SendAsync(HttpMethod.Get, "/api/v1/namespaces")).Code.Should().Be(401);
    }
}
