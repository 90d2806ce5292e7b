using System.Text.Json.Nodes;

namespace GitOpsReverser.KubeSim.Api;

/// <summary>
/// Structural-schema defaulting, as the API server applies a CRD's <c>default</c> values on write: a
/// missing field whose schema has a default gets it, inside every object, array item and map value
/// that is present.
/// </summary>
internal static class SchemaDefaults
{
    public static void Apply(JsonObject? schema, JsonNode? node)
    {
        if (schema is null)
        {
            return;
        }

        switch (node)
        {
            case JsonObject obj:
                if (schema["properties"] is JsonObject properties)
                {
                    foreach (var (name, property) in properties)
                    {
                        if (property is not JsonObject propertySchema)
                        {
                            continue;
                        }

                        if (!obj.ContainsKey(name) && propertySchema["default"] is { } value)
                        {
                            obj[name] = value.DeepClone();
                        }

                        Apply(propertySchema, obj[name]);
                    }
                }
                else if (schema["additionalProperties"] is JsonObject valueSchema)
                {
                    foreach (var (_, value) in obj.ToList())
                    {
                        Apply(valueSchema, value);
                    }
                }

                break;
            case JsonArray array when schema["items"] is JsonObject itemSchema:
                foreach (var item in array)
                {
                    Apply(itemSchema, item);
                }

                break;
        }
    }
}
