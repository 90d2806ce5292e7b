using GitOpsReverser.KubeSim.Api;
using GitOpsReverser.KubeSim.Storage;

namespace GitOpsReverser.KubeSim.Tests.Storage;

public sealed class LabelSelectorTests
{
    private static readonly Dictionary<string, string> Labels = new() { ["app"] = "web", ["tier"] = "front" };

    [TestCase("app=web", true)]
    [TestCase("app==web", true)]
    [TestCase("app!=web", false)]
    [TestCase("app!=db", true)]
    [TestCase("missing!=x", true)]
    [TestCase("app in (db, web)", true)]
    [TestCase("app notin (db,web)", false)]
    [TestCase("app", true)]
    [TestCase("!app", false)]
    [TestCase("!missing", true)]
    [TestCase("app=web,tier=back", false)]
    [TestCase("app=web, tier in (front)", true)]
    public void Matches(string selector, bool expected) =>
        LabelSelector.Parse(selector)!.Matches(Labels).Should().Be(expected);

    [TestCase("app in web")]
    [TestCase("a b")]
    [TestCase(",")]
    public void Invalid_IsABadRequest(string selector)
    {
        var parse = () => LabelSelector.Parse(selector);

        parse.Should().Throw<ApiException>().Which.Code.Should().Be(400);
    }

    [Test]
    public void FieldSelector_SupportsNameAndNamespaceOnly()
    {
        static StoredObject Stored(string ns, string name) => StoredObject.Create("configmaps", new System.Text.Json.Nodes.JsonObject
        {
            ["kind"] = "ConfigMap",
            ["apiVersion"] = "v1",
            ["metadata"] = new System.Text.Json.Nodes.JsonObject { ["name"] = name, ["namespace"] = ns },
        }, 1);
        var selector = FieldSelector.Parse("metadata.name=a,metadata.namespace!=b")!;

        selector.Matches(Stored("c", "a")).Should().BeTrue();
        selector.Matches(Stored("b", "a")).Should().BeFalse();
        selector.Matches(Stored("c", "z")).Should().BeFalse();
        var unsupported = () => FieldSelector.Parse("spec.nodeName=n");
        unsupported.Should().Throw<ApiException>().Which.Message.Should().Be("field label not supported: spec.nodeName");
    }
}
