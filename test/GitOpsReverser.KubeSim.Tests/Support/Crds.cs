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

    public static JsonObject WidgetObject(string group, string name, int size, string version = "v1") => new()
    {
        ["apiVersion"] = $"{group}/{version}",
        ["kind"] = "Widget",
        ["metadata"] = new JsonObject { ["name"] = name },
        ["spec"] = new JsonObject { ["size"] = size },
    };
}
