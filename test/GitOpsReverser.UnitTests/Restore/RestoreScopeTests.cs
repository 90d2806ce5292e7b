using System.Text;
using GitOpsReverser.Git.History;
using GitOpsReverser.Manifests;
using GitOpsReverser.Restore;

namespace GitOpsReverser.UnitTests.Restore;

/// <summary>Which objects a restore covers, the order it applies kinds in, and how it names fields.</summary>
public sealed class RestoreScopeTests
{
    private static RecordedObject Object(string apiVersion, string kind, string? ns, string name) =>
        RecordedObject.Read(new RecordedFile("p", Encoding.UTF8.GetBytes(
            $"apiVersion: {apiVersion}\nkind: {kind}\nmetadata: {{name: {name}{(ns is null ? "" : $", namespace: {ns}")}}}\n"), null), [])!;

    [Test]
    public void ANamespace_CoversItsObjects_AndTheNamespaceItself_ButNoOtherNamespace()
    {
        var request = new RestoreRequest("shop", [], Prune: false, Apply: false, ForceConflicts: false);

        request.Covers(Object("v1", "ConfigMap", "shop", "app")).Should().BeTrue();
        request.Covers(Object("v1", "Namespace", null, "shop")).Should().BeTrue();
        request.Covers(Object("v1", "Namespace", null, "other")).Should().BeFalse();
        request.Covers(Object("v1", "ConfigMap", "other", "app")).Should().BeFalse();
        request.Covers(Object("apiextensions.k8s.io/v1", "CustomResourceDefinition", null, "widgets.example.com")).Should().BeFalse();
    }

    [Test]
    public void Objects_AreNamedByKindOrKindDotGroup_CaseInsensitively()
    {
        var request = new RestoreRequest(null, ["configmap/app", "Certificate.cert-manager.io/shop-tls"], false, false, false);

        request.Covers(Object("v1", "ConfigMap", "shop", "app")).Should().BeTrue();
        request.Covers(Object("v1", "ConfigMap", "shop", "app2")).Should().BeFalse();
        request.Covers(Object("cert-manager.io/v1", "Certificate", "shop", "shop-tls")).Should().BeTrue();
        request.Covers(Object("other.example.com/v1", "Certificate", "shop", "shop-tls")).Should().BeFalse();
    }

    [Test]
    public void Kinds_GoInHelmsOrder_NamespacesAndCrdsFirst_CustomResourcesAfterBuiltIns_WebhooksLast()
    {
        string[] kinds = ["ValidatingWebhookConfiguration", "Widget", "Deployment", "ConfigMap", "CustomResourceDefinition", "Namespace", "Service"];

        kinds.OrderBy(InstallOrder.Rank).Should().Equal("Namespace", "CustomResourceDefinition", "ConfigMap", "Service", "Deployment", "Widget", "ValidatingWebhookConfiguration");
        InstallOrder.IsFoundation("Namespace").Should().BeTrue();
        InstallOrder.IsFoundation("ConfigMap").Should().BeFalse();
    }

    [TestCase("/spec/template/spec/containers", "spec.template.spec.containers")]
    [TestCase("/metadata/labels/app.kubernetes.io~1name", "metadata.labels[\"app.kubernetes.io/name\"]")]
    [TestCase("/data/server.secretkey", "data[\"server.secretkey\"]")]
    [TestCase("/metadata/annotations/a~0b", "metadata.annotations[\"a~b\"]")]
    public void APointer_ReadsAsAField(string pointer, string shown) => JsonLeaves.Display(pointer).Should().Be(shown);
}
