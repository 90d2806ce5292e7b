using System.Text.Json.Nodes;
using GitOpsReverser.KubeSim.Api;
using GitOpsReverser.KubeSim.Patching;

namespace GitOpsReverser.KubeSim.Tests.Patching;

public sealed class JsonPatchTests
{
    private static JsonObject Apply(string target, string patch) =>
        JsonPatch.Apply(JsonNode.Parse(target)!.AsObject(), JsonNode.Parse(patch));

    [Test]
    public void AllSixOperations()
    {
        var result = Apply(
            """{"a":{"b":1},"list":[1,2],"x~y":{"p/q":3}}""",
            """
            [{"op":"add","path":"/a/c","value":2},
             {"op":"add","path":"/list/1","value":9},
             {"op":"add","path":"/list/-","value":3},
             {"op":"remove","path":"/a/b"},
             {"op":"replace","path":"/x~0y/p~1q","value":4},
             {"op":"copy","from":"/a/c","path":"/copied"},
             {"op":"move","from":"/copied","path":"/moved"},
             {"op":"test","path":"/moved","value":2}]
            """);

        result.ToJsonString().Should().Be("""{"a":{"c":2},"list":[1,9,2,3],"x~y":{"p/q":4},"moved":2}""");
    }

    [Test]
    public void FailedTestOrMissingPath_IsInvalid_AndMalformedIsABadRequest()
    {
        var test = () => Apply("""{"a":1}""", """[{"op":"test","path":"/a","value":2}]""");
        test.Should().Throw<ApiException>().Which.Code.Should().Be(422);
        var missing = () => Apply("""{"a":1}""", """[{"op":"remove","path":"/b/c"}]""");
        missing.Should().Throw<ApiException>().Which.Code.Should().Be(422);
        var malformed = () => Apply("""{"a":1}""", """{"op":"add"}""");
        malformed.Should().Throw<ApiException>().Which.Code.Should().Be(400);
    }

    [Test]
    public void Replace_OfAMissingKey_AddsIt_AsTheApiServersLibraryDoes_ButAMissingElementIsInvalid()
    {
        Apply("""{"a":{}}""", """[{"op":"replace","path":"/a/b","value":1}]""").ToJsonString().Should().Be("""{"a":{"b":1}}""");
        var element = () => Apply("""{"l":[1]}""", """[{"op":"replace","path":"/l/1","value":2}]""");
        element.Should().Throw<ApiException>().Which.Code.Should().Be(422);
        var parent = () => Apply("""{"a":1}""", """[{"op":"replace","path":"/x/y","value":2}]""");
        parent.Should().Throw<ApiException>().Which.Code.Should().Be(422);
    }

    [Test]
    public void MergePatch_FollowsRfc7386()
    {
        var result = JsonMergePatch.Apply(JsonNode.Parse("""{"a":"b","c":{"d":"e","f":"g"},"l":[1]}"""),
            JsonNode.Parse("""{"a":"z","c":{"f":null},"l":[2,3]}"""));

        result!.ToJsonString().Should().Be("""{"a":"z","c":{"d":"e"},"l":[2,3]}""");
    }
}
