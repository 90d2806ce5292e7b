using GitOpsReverser.Capture;
using GitOpsReverser.Manifests;
using GitOpsReverser.Specs;

namespace GitOpsReverser.UnitTests.Capture;

/// <summary><c>ignoreFields</c> on an object as the API server returns it: by JSON pointer and by the fields a manager owns.</summary>
public sealed class FieldIgnoringTests
{
    // A Deployment an HPA scaled (through the scale subresource) and cert-manager's cainjector gave a caBundle.
    private const string Deployment = """
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: web
          namespace: shop
          labels: {app: web, team/owner: a}
          managedFields:
            - manager: kubectl-create
              operation: Update
              fieldsV1: {"f:metadata": {"f:labels": {".": {}, "f:app": {}}}, "f:spec": {"f:template": {"f:spec": {"f:containers": {"k:{\"name\":\"web\"}": {".": {}, "f:image": {}, "f:name": {}}}}}}}
            - manager: kube-controller-manager
              operation: Update
              subresource: scale
              fieldsV1: {"f:spec": {"f:replicas": {}}}
            - manager: cainjector
              operation: Update
              fieldsV1: {"f:spec": {"f:template": {"f:spec": {"f:containers": {"k:{\"name\":\"sidecar\"}": {".": {}}}}, "f:metadata": {"f:annotations": {"f:injected": {}}}}}, "f:metadata": {"f:finalizers": {"v:\"example.com/cleanup\"": {}}}}
          finalizers: [example.com/cleanup, example.com/keep]
        spec:
          replicas: 5
          template:
            metadata: {annotations: {injected: "yes", kept: "yes"}}
            spec:
              containers:
                - {name: web, image: nginx:1.27}
                - {name: sidecar, image: proxy:2}
        """;

    private static IgnoredFields Entry(string group, string kind, string[]? pointers = null, string[]? managers = null) =>
        new(group, kind, pointers ?? [], managers ?? []);

    [Test]
    public void AManagersFields_AreRemoved_FieldsListItemsAndSetValues_AndOnlyThose()
    {
        var obj = Manifest.Yaml(Deployment);
        var matches = new long[2];

        var removed = FieldIgnoring.Apply(obj, [Entry("apps", "Deployment", managers: ["kube-controller-manager"]), Entry("apps", "Deployment", managers: ["cainjector"])], matches);

        removed.Should().BeTrue();
        matches.Should().Equal(1, 1);
        var spec = obj.GetMapping("spec")!;
        spec["replicas"].Should().BeNull("the HPA owns spec.replicas");
        var containers = spec.GetMapping("template")!.GetMapping("spec")!.GetSequence("containers")!;
        containers.Items.OfType<MappingNode>().Select(container => container.GetString("name")).Should().Equal("web");
        containers.Items.OfType<MappingNode>().Single().GetString("image").Should().Be("nginx:1.27", "kubectl-create's fields stay");
        spec.GetMapping("template")!.GetMapping("metadata")!.GetMapping("annotations")!.Entries.Select(pair => pair.Key).Should().Equal("kept");
        obj.GetMapping("metadata")!.GetSequence("finalizers")!.Items.OfType<ScalarNode>().Select(value => value.Text).Should().Equal("example.com/keep");
    }

    [Test]
    public void JsonPointers_RemoveMappingsKeysAndListItems_WithEscapes_AndCountOnlyWhatMatched()
    {
        var obj = Manifest.Yaml(Deployment);
        var matches = new long[4];

        FieldIgnoring.Apply(obj,
        [
            Entry("apps", "Deployment", ["/spec/replicas", "/metadata/labels/team~1owner"]),
            Entry("*", "*", ["/spec/template/spec/containers/1"]),
            Entry("", "ConfigMap", ["/data"]),
            Entry("apps", "Deployment", ["/spec/nothing/here", "/spec/template/spec/containers/9"]),
        ], matches).Should().BeTrue();

        matches.Should().Equal(1, 1, 0, 0);
        obj.GetMapping("spec")!["replicas"].Should().BeNull();
        obj.GetMapping("metadata")!.GetMapping("labels")!.Entries.Select(pair => pair.Key).Should().Equal("app");
        obj.GetMapping("spec")!.GetMapping("template")!.GetMapping("spec")!.GetSequence("containers")!.Count.Should().Be(1);
        FieldIgnoring.Apply(Manifest.Yaml(Deployment), [Entry("", "Deployment", ["/spec/replicas"])], new long[1]).Should().BeFalse("the core group is not apps");
    }
}
