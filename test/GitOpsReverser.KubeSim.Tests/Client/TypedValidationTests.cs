using System.Text.Json.Nodes;
using GitOpsReverser.KubeSim.Tests.Support;
using k8s;
using k8s.Autorest;
using k8s.Models;

namespace GitOpsReverser.KubeSim.Tests.Client;

/// <summary>
/// What kubectl does not send, through KubernetesClient's typed calls: a status replace of a custom resource
/// refused with the API server's Status, a JSON patch replacing a key that is not there, the scale subresource,
/// and a Node created bare.
/// </summary>
[Category("Integration")]
public sealed class TypedValidationTests : KubernetesClientFixture
{
    private const string Group = "typed.example.com";

    [OneTimeSetUp]
    public async Task InstallCrdAsync()
    {
        var crd = new V1CustomResourceDefinition
        {
            Metadata = new V1ObjectMeta { Name = $"meters.{Group}" },
            Spec = new V1CustomResourceDefinitionSpec
            {
                Group = Group,
                Scope = "Namespaced",
                Names = new V1CustomResourceDefinitionNames { Plural = "meters", Singular = "meter", Kind = "Meter" },
                Versions =
                [
                    new V1CustomResourceDefinitionVersion
                    {
                        Name = "v1",
                        Served = true,
                        Storage = true,
                        Subresources = new V1CustomResourceSubresources { Status = new object() },
                        Schema = new V1CustomResourceValidation
                        {
                            OpenAPIV3Schema = new V1JSONSchemaProps
                            {
                                Type = "object",
                                Properties = new Dictionary<string, V1JSONSchemaProps>
                                {
                                    ["spec"] = new() { Type = "object", Properties = new Dictionary<string, V1JSONSchemaProps> { ["size"] = new() { Type = "integer" } } },
                                    ["status"] = new()
                                    {
                                        Type = "object",
                                        Properties = new Dictionary<string, V1JSONSchemaProps> { ["reading"] = new() { Type = "integer", Minimum = 0 } },
                                    },
                                },
                            },
                        },
                    },
                ],
            },
        };
        await Client.ApiextensionsV1.CreateCustomResourceDefinitionAsync(crd);
    }

    [Test]
    public async Task StatusReplace_OfACustomResource_IsRefusedWithTheApiServersStatus()
    {
        var meter = new JsonObject
        {
            ["apiVersion"] = $"{Group}/v1",
            ["kind"] = "Meter",
            ["metadata"] = new JsonObject { ["name"] = "m" },
            ["spec"] = new JsonObject { ["size"] = 1 },
        };
        var created = JsonNode.Parse(((System.Text.Json.JsonElement)await Client.CustomObjects.CreateNamespacedCustomObjectAsync(meter, Group, "v1", Ns, "meters"))
            .GetRawText())!.AsObject();
        created["status"] = new JsonObject { ["reading"] = -5 };

        var replace = () => Client.CustomObjects.ReplaceNamespacedCustomObjectStatusAsync(created, Group, "v1", Ns, "meters", "m");

        var error = (await replace.Should().ThrowAsync<HttpOperationException>()).Which;
        ((int)error.Response.StatusCode).Should().Be(422);
        var status = JsonNode.Parse(error.Response.Content)!;
        ((string?)status["message"]).Should().Be("Meter.typed.example.com \"m\" is invalid: status.reading: Invalid value: -5: status.reading in body should be greater than or equal to 0");
        ((string?)status["details"]!["kind"]).Should().Be("Meter");
        ((string?)status["details"]!["causes"]![0]!["field"]).Should().Be("status.reading");
    }

    [Test]
    public async Task JsonPatchReplace_OfAMissingKey_AddsIt()
    {
        await Client.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap { Metadata = new V1ObjectMeta { Name = "c" }, Data = new Dictionary<string, string> { ["a"] = "1" } }, Ns);

        var patched = await Client.CoreV1.PatchNamespacedConfigMapAsync(
            new V1Patch("""[{"op":"replace","path":"/data/b","value":"2"}]""", V1Patch.PatchType.JsonPatch), "c", Ns);

        patched.Data.Should().Equal(new Dictionary<string, string> { ["a"] = "1", ["b"] = "2" });
    }

    [Test]
    public async Task DeploymentScale_ReadsAndPatches()
    {
        await Client.AppsV1.CreateNamespacedDeploymentAsync(new V1Deployment
        {
            Metadata = new V1ObjectMeta { Name = "web" },
            Spec = new V1DeploymentSpec
            {
                Selector = new V1LabelSelector { MatchLabels = new Dictionary<string, string> { ["app"] = "web" } },
                Template = new V1PodTemplateSpec
                {
                    Metadata = new V1ObjectMeta { Labels = new Dictionary<string, string> { ["app"] = "web" } },
                    Spec = new V1PodSpec { Containers = [new V1Container { Name = "c", Image = "nginx" }] },
                },
            },
        }, Ns);

        var before = await Client.AppsV1.ReadNamespacedDeploymentScaleAsync("web", Ns);
        var after = await Client.AppsV1.PatchNamespacedDeploymentScaleAsync(
            new V1Patch("""{"spec":{"replicas":4}}""", V1Patch.PatchType.MergePatch), "web", Ns);

        before.Spec.Replicas.Should().Be(1);
        before.Status.Selector.Should().Be("app=web");
        after.Spec.Replicas.Should().Be(4);
        (await Client.AppsV1.ReadNamespacedDeploymentAsync("web", Ns)).Spec.Replicas.Should().Be(4);
    }

    [Test]
    public async Task Node_CreatedBare_ComesBackWithSpecAndStatus()
    {
        var node = await Client.CoreV1.CreateNodeAsync(new V1Node { Metadata = new V1ObjectMeta { Name = "bare-" + Ns } });
        try
        {
            node.Spec.Should().NotBeNull();
            node.Status.Should().NotBeNull();
            node.Status.NodeInfo.KubeletVersion.Should().Be("");
            node.Status.DaemonEndpoints.KubeletEndpoint.Port.Should().Be(0);
        }
        finally
        {
            await Client.CoreV1.DeleteNodeAsync(node.Metadata.Name);
        }
    }
}
