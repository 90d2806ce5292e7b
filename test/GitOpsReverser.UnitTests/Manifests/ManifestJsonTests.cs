using System.Text;
using System.Text.Json.Nodes;
using GitOpsReverser.Manifests;

namespace GitOpsReverser.UnitTests.Manifests;

public sealed class ManifestJsonTests
{
    [Test]
    public void AnObjectReadIntoTheModel_ReadsAsTheSameJson_WithNumbersForAnyNumericReader()
    {
        const string json = """{"spec":{"push":{"maxCommits":500,"interval":"250ms"},"ratio":0.5,"big":9007199254740993,"on":true,"off":false,"none":null,"list":[1,"two"]}}""";

        var node = ManifestJson.ToJsonNode(JsonManifestReader.Read(Encoding.UTF8.GetBytes(json)))!;

        JsonNode.DeepEquals(node, JsonNode.Parse(json)).Should().BeTrue(node.ToJsonString());
        var spec = node["spec"]!;
        ((int?)spec["push"]!["maxCommits"]).Should().Be(500, "a spec reader asks for an int");
        ((long?)spec["push"]!["maxCommits"]).Should().Be(500);
        ((double?)spec["ratio"]).Should().Be(0.5);
        ((long?)spec["big"]).Should().Be(9007199254740993);
        ((bool?)spec["on"]).Should().BeTrue();
        ((string?)spec["list"]![1]).Should().Be("two");
    }
}
