using System.Text.Json.Nodes;
using GitOpsReverser.Manifests;
using GitOpsReverser.Specs;

namespace GitOpsReverser.UnitTests.Specs;

public sealed class LabelMatcherTests
{
    private static LabelMatcher Parse(string json) =>
        LabelMatcher.From(System.Text.Json.JsonSerializer.Deserialize<GitOpsReverser.Api.V1Alpha1.LabelSelector>(json, GitOpsReverser.Api.V1Alpha1.ApiGroup.JsonOptions), "namespaceSelector");

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
    [TestCase("""{"matchExpressions":[{"operator":"Exists"}]}""", "every expression needs a key")]
    [TestCase("""{"matchExpressions":[{"key":"team"}]}""", "operator on key \"team\" is missing")]
    public void Parse_InvalidSelector_SaysWhatIsWrong(string json, string message)
    {
        var parse = () => Parse(json);

        parse.Should().Throw<FormatException>().WithMessage($"namespaceSelector*{message}*");
    }
}
