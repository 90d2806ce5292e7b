using System.Text.Json.Nodes;
using GitOpsReverser.KubeSim.Tests.Support;

namespace GitOpsReverser.KubeSim.Tests.Validation;

/// <summary>
/// The 422 Status body of a refused write as a real API server builds it (details with the Kind and group, one
/// cause per field error), for custom resources and built-in kinds, and validation ratcheting on update.
/// </summary>
[Category("Integration")]
public sealed class InvalidStatusTests : KubeSimTestBase
{
    private const string Group = "status.example.com";

    private string Tanks => $"/apis/{Group}/v1/namespaces/{Ns}/tanks";

    [OneTimeSetUp]
    public async Task InstallCrdAsync() => await Http.CreateAsync("/apis/apiextensions.k8s.io/v1/customresourcedefinitions", JsonNode.Parse("""
        {"apiVersion":"apiextensions.k8s.io/v1","kind":"CustomResourceDefinition","metadata":{"name":"tanks.GROUP"},
         "spec":{"group":"GROUP","scope":"Namespaced","names":{"plural":"tanks","singular":"tank","kind":"Tank"},
          "versions":[{"name":"v1","served":true,"storage":true,"subresources":{"status":{}},
           "schema":{"openAPIV3Schema":{"type":"object","properties":{
             "spec":{"type":"object","properties":{"level":{"type":"integer","maximum":100},"label":{"type":"string"}}},
             "status":{"type":"object","properties":{"phase":{"type":"string","enum":["Full","Empty"]}}}}}}}]}}
        """.Replace("GROUP", Group, StringComparison.Ordinal))!.AsObject());

    private static JsonObject Tank(string name, JsonObject spec) => new()
    {
        ["apiVersion"] = $"{Group}/v1",
        ["kind"] = "Tank",
        ["metadata"] = new JsonObject { ["name"] = name },
        ["spec"] = spec,
    };

    [Test]
    public async Task CustomResource_Invalid_AnswersTheApiServersStatus()
    {
        var (code, body, _) = await Http.SendAsync(HttpMethod.Post, Tanks, Tank("t", new JsonObject { ["level"] = 101 }));

        code.Should().Be(422);
        var message = "Invalid value: 101: spec.level in body should be less than or equal to 100";
        var expected = new JsonObject
        {
            ["kind"] = "Status",
            ["apiVersion"] = "v1",
            ["metadata"] = new JsonObject(),
            ["status"] = "Failure",
            ["message"] = $"Tank.status.example.com \"t\" is invalid: spec.level: {message}",
            ["reason"] = "Invalid",
            ["details"] = new JsonObject
            {
                ["name"] = "t",
                ["group"] = "status.example.com",
                ["kind"] = "Tank",
                ["causes"] = new JsonArray(new JsonObject { ["reason"] = "FieldValueInvalid", ["message"] = message, ["field"] = "spec.level" }),
            },
            ["code"] = 422,
        };
        body.ToJsonString().Should().Be(expected.ToJsonString());
    }

    [Test]
    public async Task BuiltInKind_Invalid_NamesTheKindWithItsGroup()
    {
        var deployment = JsonNode.Parse("""
            {"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"Bad_Name"},
             "spec":{"selector":{"matchLabels":{"a":"b"}},"template":{"metadata":{"labels":{"a":"b"}},"spec":{"containers":[{"name":"c","image":"i"}]}}}}
            """)!.AsObject();

        var (code, body, _) = await Http.SendAsync(HttpMethod.Post, $"/apis/apps/v1/namespaces/{Ns}/deployments", deployment);
        var (configMapCode, configMap, _) = await Http.SendAsync(HttpMethod.Post, ConfigMaps, KubeHttp.ConfigMap(Ns, "Bad_Name"));

        code.Should().Be(422);
        ((string?)body["message"]).Should().StartWith("Deployment.apps \"Bad_Name\" is invalid: metadata.name: Invalid value: \"Bad_Name\": a lowercase RFC 1123 subdomain");
        ((string?)body["details"]!["kind"]).Should().Be("Deployment");
        ((string?)body["details"]!["group"]).Should().Be("apps");
        configMapCode.Should().Be(422);
        ((string?)configMap["message"]).Should().StartWith("ConfigMap \"Bad_Name\" is invalid: ");
        ((string?)configMap["details"]!["kind"]).Should().Be("ConfigMap");
        configMap["details"]!["group"].Should().BeNull();
    }

    [Test]
    public async Task StatusWrite_Invalid_IsRefused_AndAValidOneIsKept()
    {
        var created = await Http.CreateAsync(Tanks, Tank("s", new JsonObject { ["level"] = 5 }));
        var bad = created.DeepClone().AsObject();
        bad["status"] = new JsonObject { ["phase"] = "Maybe" };
        var good = created.DeepClone().AsObject();
        good["status"] = new JsonObject { ["phase"] = "Full" };

        var (badCode, badBody, _) = await Http.SendAsync(HttpMethod.Put, $"{Tanks}/s/status", bad);
        var (goodCode, goodBody, _) = await Http.SendAsync(HttpMethod.Put, $"{Tanks}/s/status", good);

        badCode.Should().Be(422);
        ((string?)badBody["message"]).Should().Be(
            "Tank.status.example.com \"s\" is invalid: status.phase: Unsupported value: \"Maybe\": supported values: \"Full\", \"Empty\"");
        goodCode.Should().Be(200, goodBody.ToJsonString());
        ((string?)goodBody["status"]!["phase"]).Should().Be("Full");
    }

    [Test]
    public async Task Update_ValueThatATightenedSchemaRefuses_IsKeptWhileUnchanged()
    {
        await Http.CreateAsync(Tanks, Tank("r", new JsonObject { ["level"] = 50, ["label"] = "x" }));
        var crdPath = $"/apis/apiextensions.k8s.io/v1/customresourcedefinitions/tanks.{Group}";
        var crd = await Http.GetAsync(crdPath);
        crd["spec"]!["versions"]![0]!["schema"]!["openAPIV3Schema"]!["properties"]!["spec"]!["properties"]!["level"]!["maximum"] = 10;
        (await Http.SendAsync(HttpMethod.Put, crdPath, crd)).Code.Should().Be(200);
        try
        {
            var labelOnly = await Http.SendAsync(HttpMethod.Patch, $"{Tanks}/r", JsonNode.Parse("""{"spec":{"label":"y"}}"""), "application/merge-patch+json");
            var level = await Http.SendAsync(HttpMethod.Patch, $"{Tanks}/r", JsonNode.Parse("""{"spec":{"level":40}}"""), "application/merge-patch+json");

            labelOnly.Code.Should().Be(200, "level 50 did not change, so the new maximum does not apply to it (ratcheting)");
            level.Code.Should().Be(422);
            ((string?)level.Body["message"]).Should().EndWith("spec.level: Invalid value: 40: spec.level in body should be less than or equal to 10");
        }
        finally
        {
            crd = await Http.GetAsync(crdPath);
            crd["spec"]!["versions"]![0]!["schema"]!["openAPIV3Schema"]!["properties"]!["spec"]!["properties"]!["level"]!["maximum"] = 100;
            (await Http.SendAsync(HttpMethod.Put, crdPath, crd)).Code.Should().Be(200);
        }
    }
}
