using System.Text.Json.Nodes;

namespace GitOpsReverser.KubeSim.Validation;

/// <summary>
/// Structural pruning: removes the fields a schema does not specify, except under
/// <c>x-kubernetes-preserve-unknown-fields</c> or an <c>additionalProperties</c> that allows them.
/// </summary>
internal static class Pruning
{
    /// <summary>Removes the unknown fields of <paramref name="value"/>.</summary>
    public static void RemoveUnknown(JsonObject schema, JsonNode? value) => RemoveUnknown(schema, value, "", []);

    /// <summary>Removes the unknown fields of <paramref name="value"/>, adding each one's path (under <paramref name="path"/>) to <paramref name="unknown"/>.</summary>
    public static void RemoveUnknown(JsonObject schema, JsonNode? value, string path, List<string> unknown)
    {
        switch (value)
        {
            case JsonObject obj:
                if (Keywords.IsTrue(schema, "x-kubernetes-preserve-unknown-fields") && schema["properties"] is null)
                {
                    return;
                }

                var properties = schema["properties"] as JsonObject;
                var additional = schema["additionalProperties"];
                foreach (var (key, child) in obj.ToList())
                {
                    if (properties?[key] is JsonObject childSchema)
                    {
                        RemoveUnknown(childSchema, child, $"{path}.{key}", unknown);
                    }
                    else if (additional is JsonObject additionalSchema)
                    {
                        RemoveUnknown(additionalSchema, child, $"{path}.{key}", unknown);
                    }
                    else if (!(additional?.GetValueKind() == System.Text.Json.JsonValueKind.True || Keywords.IsTrue(schema, "x-kubernetes-preserve-unknown-fields")))
                    {
                        unknown.Add($"{path}.{key}");
                        obj.Remove(key);
                    }
                }

                break;
            case JsonArray array when schema["items"] is JsonObject items:
                for (var i = 0; i < array.Count; i++)
                {
                    RemoveUnknown(items, array[i], $"{path}[{i}]", unknown);
                }

                break;
        }
    }
}
