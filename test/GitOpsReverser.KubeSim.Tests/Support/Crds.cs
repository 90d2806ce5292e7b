using System.Text.Json.Nodes;

namespace GitOpsReverser.KubeSim.Tests.Support;

/// <summary>CRD manifests for tests.</summary>
internal static class Crds
{
    /// <summary>A namespaced <c>Widget</c> in a fresh group, with a status subresource and a schema for spec.size.</summary>
    public static (JsonObject Crd, string Group) Widget(string scope = "Namespaced")
    {
        var group = $"g{Guid.NewGuid():N}"[..10] + ".example.com";
        var crd = JsonNode.Parse("""
            {
              "apiVersion": "apiextensions.k8s.io/v1",
              "kind": "CustomResourceDefinition",
              "metadata": {"name": "widgets.GROUP"},
              "spec": {
                "group": "GROUP",
                "scope": "SCOPE",
                "names": {"plural": "widgets", "singular": "widget", "kind": "Widget", "shortNames": ["wdg"]},
                "versions": [
                  {"name": "v1", "served": true, "storage": true, "subresources": {"status": {}},
                   "schema": {"openAPIV3Schema": {"type": "object", "properties": {
                     "spec": {"type": "object", "properties": {"size": {"type": "integer"}}},
                     "status": {"type": "object", "x-kubernetes-preserve-unknown-fields": true}}}}},
                  {"name": "v1beta1", "served": true, "storage": false,
                   "schema": {"openAPIV3Schema": {"type": "object", "x-kubernetes-preserve-unknown-fields": true}}}
                ]
              }
            }
            """.Replace("GROUP", group).Replace("SCOPE", scope))!.AsObject();
        return (crd, group);
    }

    /// <summary>
    /// A fresh group built as prometheus-operator's and the Gateway API's are: three namespaced kinds, each
    /// served in one version only (Gadget in v1, Gizmo in v1beta1, Doohickey in v1alpha1). The alphabetically
    /// first CRD is the alpha one.
    /// </summary>
    public static (IReadOnlyList<JsonObject> Crds, string Group) SplitGroup()
    {
        var group = $"g{Guid.NewGuid():N}"[..10] + ".example.com";
        JsonObject Crd(string plural, string kind, string version) => JsonNode.Parse("""
            {
              "apiVersion": "apiextensions.k8s.io/v1",
              "kind": "CustomResourceDefinition",
              "metadata": {"name": "PLURAL.GROUP"},
              "spec": {
                "group": "GROUP",
                "scope": "Namespaced",
                "names": {"plural": "PLURAL", "singular": "SINGULAR", "kind": "KIND"},
                "versions": [{"name": "VERSION", "served": true, "storage": true,
                  "schema": {"openAPIV3Schema": {"type": "object", "x-kubernetes-preserve-unknown-fields": true}}}]
              }
            }
            """.Replace("PLURAL", plural).Replace("GROUP", group).Replace("SINGULAR", kind.ToLowerInvariant()).Replace("KIND", kind)
            .Replace("VERSION", version))!.AsObject();
        return ([Crd("doohickeys", "Doohickey", "v1alpha1"), Crd("gadgets", "Gadget", "v1"), Crd("gizmos", "Gizmo", "v1beta1")], group);
    }

    public static JsonObject WidgetObject(string group, string name, int size, string version = "v1") => new()
    {
        ["apiVersion"] = $"{group}/{version}",
        ["kind"] = "Widget",
        ["metadata"] = new JsonObject { ["name"] = name },
        ["spec"] = new JsonObject { ["size"] = size },
    };
}
