using System.Text.Json.Nodes;
using GitOpsReverser.Api;
using GitOpsReverser.Manifests;

namespace GitOpsReverser.UnitTests.Api;

public sealed class LabelSelectorTests
{
    private static LabelSelector Parse(string json) => LabelSelector.Parse(JsonNode.Parse(json), "namespaceSelector");

    private static JsonObject Labels(string json) => JsonNode.Parse(json)!.AsObject();

    [TestCase("""{"env":"production","team":"a"}""", true)]
    [TestCase("""{"env":"staging","team":"a"}""", false)]
    [TestCase("""{"env":"production","team":"a","legacy":"x"}""", false)]
    [TestCase("""{"env":"production"}""", false)]
    public void Matches_MatchLabelsAndEveryOperator_AllMustHold(string labels, bool expected)
    {
        var selector = Parse("""
            {"matchLabels":{"env":"production"},
             "matchExpressions":[{"key":"team","operator":"In","values":["a","b"]},{"key":"legacy","operator":"DoesNotExist"},
                                 {"key":"tier","operator":"NotIn","values":["batch"]},{"key":"team","operator":"Exists"}]}
            """);

        selector.Matches(Labels(labels)).Should().Be(expected);
    }

    [Test]
    public void Matches_EmptySelector_MatchesEverythingEvenNoLabels()
    {
        var selector = Parse("{}");

        selector.IsEmpty.Should().BeTrue();
        selector.Matches((System.Text.Json.Nodes.JsonObject?)null).Should().BeTrue();
    }

    [Test]
    public void Matches_NotInWithoutTheLabel_Holds()
    {
        Parse("""{"matchExpressions":[{"key":"tier","operator":"NotIn","values":["batch"]}]}""").Matches((MappingNode?)null).Should().BeTrue();
    }

    [TestCase("""{"matchExpressions":[{"key":"team","operator":"In"}]}""", "operator In on key \"team\" needs at least one value")]
    [TestCase("""{"matchExpressions":[{"key":"team","operator":"Exists","values":["a"]}]}""", "operator Exists on key \"team\" takes no values")]
    [TestCase("""{"matchExpressions":[{"key":"team","operator":"Equals","values":["a"]}]}""", "unknown operator \"Equals\"")]
    [TestCase("""{"matchExpressions":[{"operator":"Exists"}]}""", "every expression needs a key")]
    [TestCase("""["env"]""", "must be an object")]
    public void Parse_InvalidSelector_SaysWhatIsWrong(string json, string message)
    {
        var parse = () => Parse(json);

        parse.Should().Throw<FormatException>().WithMessage($"namespaceSelector*{message}*");
    }
}
