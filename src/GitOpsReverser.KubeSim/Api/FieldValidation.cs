using System.Text.Json.Nodes;

namespace GitOpsReverser.KubeSim.Api;

/// <summary>
/// Finds fields a kind does not know: for custom resources by walking the CRD's structural schema
/// (honouring <c>x-kubernetes-preserve-unknown-fields</c> and <c>additionalProperties</c>), for
/// built-in kinds at the top level and in metadata. Unknown fields are removed (pruned) unless
/// validation is Strict, where the caller refuses the request.
/// </summary>
internal static class FieldValidation
{
    public static List<string> RemoveUnknown(ResourceType type, JsonObject obj)
    {
        var unknown = new List<string>();
        foreach (var (key, value) in obj.ToList())
        {
            if (key is "apiVersion" or "kind")
            {
                continue;
            }

            if (key == "metadata")
            {
                if (value is JsonObject metadata)
                {
                    foreach (var field in metadata.Select(pair => pair.Key).Where(field => !BuiltInTypes.ObjectMetaFields.Contains(field)).ToList())
                    {
                        unknown.Add($"metadata.{field}");
                        metadata.Remove(field);
                    }
                }

                continue;
            }

            if (type.IsCustom)
            {
                var properties = type.Schema?["properties"] as JsonObject;
                if (type.Schema is null || PreservesUnknown(type.Schema))
                {
                    continue;
                }

                if (properties?[key] is JsonObject propertySchema)
                {
                    Walk(value, propertySchema, key, unknown);
                    continue;
                }
            }
            else if (type.KnownFields!.Contains(key))
            {
                continue;
            }

            unknown.Add(key);
            obj.Remove(key);
        }

        return unknown;
    }

    private static void Walk(JsonNode? value, JsonObject schema, string path, List<string> unknown)
    {
        switch (value)
        {
            case JsonObject obj:
                if (PreservesUnknown(schema) && schema["properties"] is null)
                {
                    return;
                }

                var properties = schema["properties"] as JsonObject;
                var additional = schema["additionalProperties"];
                foreach (var (key, child) in obj.ToList())
                {
                    if (properties?[key] is JsonObject childSchema)
                    {
                        Walk(child, childSchema, $"{path}.{key}", unknown);
                    }
                    else if (additional is JsonObject additionalSchema)
                    {
                        Walk(child, additionalSchema, $"{path}.{key}", unknown);
                    }
                    else if (!(additional?.GetValueKind() == System.Text.Json.JsonValueKind.True || PreservesUnknown(schema)))
                    {
                        unknown.Add($"{path}.{key}");
                        obj.Remove(key);
                    }
                }

                break;
            case JsonArray array when schema["items"] is JsonObject items:
                for (var i = 0; i < array.Count; i++)
                {
                    Walk(array[i], items, $"{path}[{i}]", unknown);
                }

                break;
        }
    }

    private static bool PreservesUnknown(JsonObject schema) =>
        schema["x-kubernetes-preserve-unknown-fields"]?.GetValueKind() == System.Text.Json.JsonValueKind.True;
}
