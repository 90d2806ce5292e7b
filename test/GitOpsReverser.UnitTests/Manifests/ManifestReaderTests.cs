using GitOpsReverser.Manifests;

namespace GitOpsReverser.UnitTests.Manifests;

public sealed class ManifestReaderTests
{
    [Test]
    public void ReadObjects_BrokenDocumentInTheMiddle_IsReportedAndTheOthersAreRead()
    {
        const string Input = """
            apiVersion: v1
            kind: ConfigMap
            metadata: {name: first}
            ---
            apiVersion: v1
            kind: [broken
            ---
            # only a comment
            ---
            apiVersion: v1
            kind: ConfigMap
            metadata: {name: third}
            """;

        var objects = ManifestReader.ReadObjects(Input).ToList();

        objects.Select(o => o.Location).Should().Equal("document 1", "document 2", "document 3");
        objects[0].Identity.Name.Should().Be("first");
        objects[1].Error.Should().StartWith("invalid YAML at line 6");
        objects[2].Identity.Name.Should().Be("third");
    }

    [TestCase("[1, 2]", "not a Kubernetes object: expected a mapping, found a list")]
    [TestCase("just text", "not a Kubernetes object: expected a mapping, found a string scalar")]
    [TestCase("{kind: ConfigMap, metadata: {name: x}}", "not a Kubernetes object: missing apiVersion")]
    [TestCase("{apiVersion: v1, metadata: {name: x}}", "not a Kubernetes object: missing kind")]
    [TestCase("{apiVersion: v1, kind: ConfigMap, metadata: {generateName: x-}}", "not a Kubernetes object: missing metadata.name")]
    [TestCase("{apiVersion: v1, kind: ../x, metadata: {name: x}}", "not a Kubernetes object: invalid kind \"../x\"")]
    [TestCase("{apiVersion: v1, kind: ConfigMap, metadata: {name: a/b}}", "not a Kubernetes object: invalid metadata.name \"a/b\": contains '/'")]
    [TestCase("{apiVersion: v1, kind: ConfigMap, metadata: {name: x, namespace: ../etc}}", "not a Kubernetes object: invalid metadata.namespace \"../etc\"")]
    [TestCase("{apiVersion: ../v1, kind: ConfigMap, metadata: {name: x}}", "not a Kubernetes object: invalid apiVersion \"../v1\"")]
    public void ReadObjects_NotAnObject_GivesTheReason(string yaml, string error) =>
        ManifestReader.ReadObjects(yaml).Single().Error.Should().Be(error);

    [Test]
    public void ReadObjects_TypedListFromTheApi_GivesItemsTheirKind()
    {
        const string Json = """{"apiVersion":"v1","kind":"ConfigMapList","metadata":{"resourceVersion":"9"},"items":[{"metadata":{"name":"a","namespace":"d"}},{"metadata":{"name":"b","namespace":"d"}}]}""";

        var objects = ManifestReader.ReadObjects(Json).ToList();

        objects.Select(o => (o.Location, o.Identity.ApiVersion, o.Identity.Kind, o.Identity.Name))
            .Should().Equal(("document 1, item 1", "v1", "ConfigMap", "a"), ("document 1, item 2", "v1", "ConfigMap", "b"));
    }

    [Test]
    public void ReadObjects_JsonStream_ReadsEveryObject() =>
        ManifestReader.ReadObjects("""{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"a"}} {"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"b"}}""")
            .Select(o => o.Identity.Name).Should().Equal("a", "b");
}
