using System.Text.Json.Nodes;
using GitOpsReverser.KubeSim.Patching;

namespace GitOpsReverser.KubeSim.Tests.Patching;

public sealed class StrategicMergePatchTests
{
    private static JsonObject Apply(string original, string patch) =>
        StrategicMergePatch.Apply(JsonNode.Parse(original)!.AsObject(), JsonNode.Parse(patch)!.AsObject());

    private const string Pod = """
        {"spec":{"containers":[
          {"name":"app","image":"a:1","env":[{"name":"A","value":"1"}],"ports":[{"containerPort":80,"protocol":"TCP"}]},
          {"name":"sidecar","image":"s:1"}]}}
        """;

    [Test]
    public void ContainersAndEnv_MergeByName()
    {
        var result = Apply(Pod, """{"spec":{"containers":[{"name":"app","image":"a:2","env":[{"name":"B","value":"2"}]}]}}""");

        var app = result["spec"]!["containers"]![0]!;
        ((string?)app["image"]).Should().Be("a:2");
        app["env"]!.AsArray().Select(env => (string?)env!["name"]).Should().Equal("A", "B");
        ((string?)result["spec"]!["containers"]![1]!["name"]).Should().Be("sidecar");
    }

    [Test]
    public void ContainerPorts_MergeByContainerPort()
    {
        var result = Apply(Pod, """{"spec":{"containers":[{"name":"app","ports":[{"containerPort":80,"name":"http"},{"containerPort":443}]}]}}""");

        var ports = result["spec"]!["containers"]![0]!["ports"]!.AsArray();
        ports.Should().HaveCount(2);
        ((string?)ports[0]!["name"]).Should().Be("http");
        ((string?)ports[0]!["protocol"]).Should().Be("TCP");
    }

    [Test]
    public void Directives_DeleteReplaceAndOrder()
    {
        var deleted = Apply(Pod, """{"spec":{"containers":[{"name":"sidecar","$patch":"delete"}]}}""");
        deleted["spec"]!["containers"]!.AsArray().Select(container => (string?)container!["name"]).Should().Equal("app");

        var replaced = Apply(Pod, """{"spec":{"containers":[{"name":"only","image":"o:1"},{"$patch":"replace"}]}}""");
        replaced["spec"]!["containers"]!.AsArray().Select(container => (string?)container!["name"]).Should().Equal("only");

        var reordered = Apply(Pod, """{"spec":{"$setElementOrder/containers":[{"name":"sidecar"},{"name":"app"}],"containers":[{"name":"app","image":"a:3"}]}}""");
        reordered["spec"]!["containers"]!.AsArray().Select(container => (string?)container!["name"]).Should().Equal("sidecar", "app");
        reordered["spec"]!.AsObject().ContainsKey("$setElementOrder/containers").Should().BeFalse();
    }

    [Test]
    public void NullDeletes_ListsWithoutMergeKeysAreReplaced_FinalizersUnion()
    {
        var result = Apply(
            """{"metadata":{"labels":{"a":"1","b":"2"},"finalizers":["x"]},"spec":{"tolerations":[{"key":"k1"}]}}""",
            """{"metadata":{"labels":{"a":null},"finalizers":["y"]},"spec":{"tolerations":[{"key":"k2"}]}}""");

        result["metadata"]!["labels"]!.AsObject().Select(pair => pair.Key).Should().Equal("b");
        result["metadata"]!["finalizers"]!.AsArray().Select(node => (string?)node).Should().Equal("x", "y");
        result["spec"]!["tolerations"]!.AsArray().Select(node => (string?)node!["key"]).Should().Equal("k2");
    }

    [Test]
    public void DeleteFromPrimitiveList_AndRetainKeys()
    {
        var result = Apply(
            """{"metadata":{"finalizers":["x","y"]},"spec":{"strategy":{"type":"RollingUpdate","rollingUpdate":{"maxSurge":1}}}}""",
            """{"metadata":{"$deleteFromPrimitiveList/finalizers":["x"]},"spec":{"strategy":{"$retainKeys":["type"],"type":"Recreate"}}}""");

        result["metadata"]!["finalizers"]!.AsArray().Select(node => (string?)node).Should().Equal("y");
        result["spec"]!["strategy"]!.AsObject().Select(pair => pair.Key).Should().Equal("type");
    }
}
