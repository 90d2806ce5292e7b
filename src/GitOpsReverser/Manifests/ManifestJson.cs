using System.Text.Json.Nodes;

namespace GitOpsReverser.Manifests;

/// <summary>The manifest model as <see cref="JsonNode"/>s, for the few objects read as JSON documents (the operator's own resources).</summary>
internal static class ManifestJson
{
    public static JsonNode? ToJsonNode(ManifestNode node) => node switch
    {
        MappingNode mapping => new JsonObject(mapping.Entries.Select(entry => KeyValuePair.Create(entry.Key, ToJsonNode(entry.Value)))),
        SequenceNode sequence => new JsonArray([.. sequence.Items.Select(ToJsonNode)]),
        ScalarNode { Kind: ScalarKind.Null } => null,
        ScalarNode { Kind: ScalarKind.Boolean } scalar => JsonValue.Create(scalar.Text == "true"),
        // A number as JSON reads it, so that it converts to whichever numeric type its reader asks for (int, long, double).
        ScalarNode { Kind: ScalarKind.Integer or ScalarKind.Float } scalar => JsonNode.Parse(scalar.Text),
        ScalarNode scalar => JsonValue.Create(scalar.Text),
        _ => throw new ArgumentException($"unknown manifest node {node.GetType().Name}", nameof(node)),
    };
}
