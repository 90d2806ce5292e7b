using System.Text.Json.Nodes;
using GitOpsReverser.KubeSim.Tests.Support;

namespace GitOpsReverser.KubeSim.Tests.Api;

/// <summary>What writes do, checked against the API server's documented behaviour.</summary>
[Category("Integration")]
public sealed class WriteSemanticsTests : KubeSimTestBase
{
    private string Deployments => $"/apis/apps/v1/namespaces/{Ns}/deployments";

    private static JsonObject Deployment(string name, string image) => JsonNode.Parse("""
        {"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"NAME"},
         "spec":{"replicas":1,"selector":{"matchLabels":{"app":"x"}},
                 "template":{"metadata":{"labels":{"app":"x"}},"spec":{"containers":[{"name":"c","image":"IMAGE"}]}}},
         "status":{"replicas":7}}
        """.Replace("NAME", name).Replace("IMAGE", image))!.AsObject();

    [Test]
    public async Task StatusSplit_AndGeneration_FollowTheSubresourceRules()
    {
        var created = await Http.CreateAsync(Deployments, Deployment("d", "nginx:1"));
        created["status"].Should().BeNull("status is dropped on create where it is a subresource");
        ((long?)created["metadata"]!["generation"]).Should().Be(1);

        var withStatus = created.DeepClone().AsObject();
        withStatus["status"] = new JsonObject { ["replicas"] = 3 };
        var (code, status, _) = await Http.SendAsync(HttpMethod.Put, $"{Deployments}/d/status", withStatus);
        code.Should().Be(200, status.ToJsonString());
        ((int?)status["status"]!["replicas"]).Should().Be(3);
        ((long?)status["metadata"]!["generation"]).Should().Be(1, "a status change is not a spec change");

        var mainWrite = status.DeepClone().AsObject();
        mainWrite["status"] = new JsonObject { ["replicas"] = 99 };
        mainWrite["metadata"]!["labels"] = new JsonObject { ["team"] = "a" };
        var (_, main, _) = await Http.SendAsync(HttpMethod.Put, $"{Deployments}/d", mainWrite);
        ((int?)main["status"]!["replicas"]).Should().Be(3, "the main endpoint ignores status");
        ((long?)main["metadata"]!["generation"]).Should().Be(1, "a label is metadata");

        var (_, patched, _) = await Http.SendAsync(HttpMethod.Patch, $"{Deployments}/d",
            JsonNode.Parse("{\"spec\":{\"replicas\":2}}"), "application/strategic-merge-patch+json");
        ((long?)patched["metadata"]!["generation"]).Should().Be(2);
    }

    [Test]
    public async Task Create_RejectsBadNamesMissingNamespacesAndDuplicates_AndHonoursGenerateName()
    {
        var (code, body, _) = await Http.SendAsync(HttpMethod.Post, ConfigMaps, KubeHttp.ConfigMap(Ns, "Not_Valid"));
        code.Should().Be(422);
        ((string?)body["details"]!["causes"]![0]!["field"]).Should().Be("metadata.name");

        (await Http.SendAsync(HttpMethod.Post, "/api/v1/namespaces/missing-ns/configmaps", KubeHttp.ConfigMap("missing-ns", "x"))).Code.Should().Be(404);
        (await Http.SendAsync(HttpMethod.Post, ConfigMaps, KubeHttp.ConfigMap("other-ns", "x"))).Code.Should().Be(400);

        await Http.CreateAsync(ConfigMaps, KubeHttp.ConfigMap(Ns, "dup"));
        var (dupCode, dup, _) = await Http.SendAsync(HttpMethod.Post, ConfigMaps, KubeHttp.ConfigMap(Ns, "dup"));
        dupCode.Should().Be(409);
        ((string?)dup["reason"]).Should().Be("AlreadyExists");

        var generated = KubeHttp.ConfigMap(Ns, "");
        generated["metadata"]!.AsObject().Remove("name");
        generated["metadata"]!["generateName"] = "gen-";
        var created = await Http.CreateAsync(ConfigMaps, generated);
        ((string?)created["metadata"]!["name"]).Should().MatchRegex("^gen-[a-z0-9]{5}$");
    }

    [Test]
    public async Task FieldValidation_StrictRefuses_WarnPrunesWithAWarningHeader()
    {
        var obj = KubeHttp.ConfigMap(Ns, "fields");
        obj["bogus"] = 1;

        (await Http.SendAsync(HttpMethod.Post, $"{ConfigMaps}?fieldValidation=Strict", obj)).Code.Should().Be(400);
        var (code, created, response) = await Http.SendAsync(HttpMethod.Post, ConfigMaps, obj);

        code.Should().Be(201);
        created["bogus"].Should().BeNull();
        response.Headers.GetValues("Warning").Should().ContainSingle().Which.Should().Contain("unknown field \\\"bogus\\\"");
    }

    [Test]
    public async Task SecretStringData_IsFoldedIntoData()
    {
        var secret = JsonNode.Parse($"{{\"apiVersion\":\"v1\",\"kind\":\"Secret\",\"metadata\":{{\"name\":\"s\"}},\"stringData\":{{\"password\":\"hunter2\"}}}}")!.AsObject();

        var created = await Http.CreateAsync($"/api/v1/namespaces/{Ns}/secrets", secret);

        created["stringData"].Should().BeNull();
        ((string?)created["data"]!["password"]).Should().Be(Convert.ToBase64String("hunter2"u8.ToArray()));
    }

    [Test]
    public async Task NamespaceDeletion_DeletesItsObjects_AndWaitsForFinalizers()
    {
        await Http.CreateAsync(ConfigMaps, KubeHttp.ConfigMap(Ns, "plain"));
        var held = KubeHttp.ConfigMap(Ns, "held");
        held["metadata"]!["finalizers"] = new JsonArray("example.com/hold");
        await Http.CreateAsync(ConfigMaps, held);

        (await Http.SendAsync(HttpMethod.Delete, $"/api/v1/namespaces/{Ns}")).Code.Should().Be(200);

        (await Http.SendAsync(HttpMethod.Get, $"{ConfigMaps}/plain")).Code.Should().Be(404);
        var ns = await Http.GetAsync($"/api/v1/namespaces/{Ns}");
        ((string?)ns["status"]!["phase"]).Should().Be("Terminating");
        var (forbidden, _, _) = await Http.SendAsync(HttpMethod.Post, ConfigMaps, KubeHttp.ConfigMap(Ns, "late"));
        forbidden.Should().Be(403);

        await Http.SendAsync(HttpMethod.Patch, $"{ConfigMaps}/held", JsonNode.Parse("[{\"op\":\"remove\",\"path\":\"/metadata/finalizers\"}]"),
            "application/json-patch+json");
        (await Http.SendAsync(HttpMethod.Get, $"/api/v1/namespaces/{Ns}")).Code.Should().Be(404);
    }

    [Test]
    public async Task ServerSideApply_CreatesWhenAbsent_AndRequiresAFieldManager()
    {
        using var request = new HttpRequestMessage(HttpMethod.Patch, $"{ConfigMaps}/applied?fieldManager=tests")
        {
            Content = new StringContent("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: applied\ndata:\n  k: v\n"),
        };
        request.Content.Headers.ContentType = new("application/apply-patch+yaml");
        using var response = await Http.Client.SendAsync(request);
        ((int)response.StatusCode).Should().Be(201);
        var applied = await Http.GetAsync($"{ConfigMaps}/applied");
        ((string?)applied["metadata"]!["managedFields"]![0]!["operation"]).Should().Be("Apply");

        var (code, _, _) = await Http.SendAsync(HttpMethod.Patch, $"{ConfigMaps}/applied",
            JsonNode.Parse("{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"applied\"}}"), "application/apply-patch+yaml");
        code.Should().Be(400);
    }

    [Test]
    public async Task JsonPatch_FailedTestIsInvalid_AndDryRunChangesNothing()
    {
        var created = await Http.CreateAsync(ConfigMaps, KubeHttp.ConfigMap(Ns, "p", new() { ["k"] = "v" }));

        var (code, _, _) = await Http.SendAsync(HttpMethod.Patch, $"{ConfigMaps}/p",
            JsonNode.Parse("[{\"op\":\"test\",\"path\":\"/data/k\",\"value\":\"other\"},{\"op\":\"remove\",\"path\":\"/data/k\"}]"),
            "application/json-patch+json");
        code.Should().Be(422);

        var (dryCode, dry, _) = await Http.SendAsync(HttpMethod.Patch, $"{ConfigMaps}/p?dryRun=All",
            JsonNode.Parse("{\"data\":{\"k\":\"dry\"}}"), "application/merge-patch+json");
        dryCode.Should().Be(200);
        ((string?)dry["data"]!["k"]).Should().Be("dry");
        var current = await Http.GetAsync($"{ConfigMaps}/p");
        ((string?)current["data"]!["k"]).Should().Be("v");
        Rv(current).Should().Be(Rv(created));
    }

    [Test]
    public async Task List_ExactReadsAnOlderSnapshot_AndAFutureVersionIsTooLarge()
    {
        var first = await Http.CreateAsync(ConfigMaps, KubeHttp.ConfigMap(Ns, "first"));
        await Http.CreateAsync(ConfigMaps, KubeHttp.ConfigMap(Ns, "second"));
        await Http.SendAsync(HttpMethod.Delete, $"{ConfigMaps}/first");

        var exact = await Http.GetAsync($"{ConfigMaps}?resourceVersion={Rv(first)}&resourceVersionMatch=Exact");
        exact["items"]!.AsArray().Select(item => (string?)item!["metadata"]!["name"]).Should().Equal("first");
        exact["items"]![0]!["kind"].Should().BeNull("typed lists carry items without kind");
        ((string?)exact["metadata"]!["resourceVersion"]).Should().Be(Rv(first).ToString(System.Globalization.CultureInfo.InvariantCulture));

        var current = await Http.GetAsync(ConfigMaps);
        current["items"]!.AsArray().Select(item => (string?)item!["metadata"]!["name"]).Should().Equal("second");
        (await Http.SendAsync(HttpMethod.Get, $"{ConfigMaps}?resourceVersion={Sim.Server.Store.ResourceVersion + 1000}")).Code.Should().Be(504);
    }

    [Test]
    public async Task DeleteCollection_DeletesWhatTheSelectorSelects()
    {
        await Http.CreateAsync(ConfigMaps, KubeHttp.ConfigMap(Ns, "a", labels: new() { ["tier"] = "x" }));
        await Http.CreateAsync(ConfigMaps, KubeHttp.ConfigMap(Ns, "b"));

        var (code, _, _) = await Http.SendAsync(HttpMethod.Delete, $"{ConfigMaps}?labelSelector=tier%3Dx");

        code.Should().Be(200);
        (await Http.GetAsync(ConfigMaps))["items"]!.AsArray().Select(item => (string?)item!["metadata"]!["name"]).Should().Equal("b");
    }

    [Test]
    public async Task CustomResources_ServeEveryVersion_AndRequireAResourceVersionOnUpdate()
    {
        var (crd, group) = Crds.Widget();
        await Http.CreateAsync("/apis/apiextensions.k8s.io/v1/customresourcedefinitions", crd);
        var created = await Http.CreateAsync($"/apis/{group}/v1/namespaces/{Ns}/widgets", Crds.WidgetObject(group, "w", 1));

        var asBeta = await Http.GetAsync($"/apis/{group}/v1beta1/namespaces/{Ns}/widgets/w");
        ((string?)asBeta["apiVersion"]).Should().Be($"{group}/v1beta1");
        var list = await Http.GetAsync($"/apis/{group}/v1/namespaces/{Ns}/widgets");
        ((string?)list["items"]![0]!["kind"]).Should().Be("Widget", "lists of custom objects keep kind");

        var update = created.DeepClone().AsObject();
        update["metadata"]!.AsObject().Remove("resourceVersion");
        (await Http.SendAsync(HttpMethod.Put, $"/apis/{group}/v1/namespaces/{Ns}/widgets/w", update)).Code.Should().Be(422);
        (await Http.SendAsync(HttpMethod.Patch, $"/apis/{group}/v1/namespaces/{Ns}/widgets/w",
            JsonNode.Parse("{\"spec\":{\"size\":2}}"), "application/strategic-merge-patch+json")).Code.Should().Be(415);
    }
}
