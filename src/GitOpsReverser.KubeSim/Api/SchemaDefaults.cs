using System.Text.Json.Nodes;
using GitOpsReverser.KubeSim.Validation;

namespace GitOpsReverser.KubeSim.Api;

/// <summary>
/// Structural-schema defaulting, as the API server applies a CRD's <c>default</c> values on write: a field
/// that is missing, or null where the schema is not <c>nullable</c>, gets its default, inside every object,
/// array item and map value that is present; then a null with neither a default nor <c>nullable</c> is
/// dropped from its object (an explicit null of a nullable field stays).
/// </summary>
internal static class SchemaDefaults
{
    public static void Apply(JsonObject? schema, JsonNode? node)
    {
        if (schema is null)
        {
            return;
        }

        Default(schema, node);
        PruneNulls(schema, node);
    }

    private static bool IsNonNullableNull(JsonNode? value, JsonObject schema) => value is null && !Keywords.IsTrue(schema, "nullable");

    private static void Default(JsonObject schema, JsonNode? node)
    {
        switch (node)
        {
            case JsonObject obj:
                foreach (var (name, property) in Keywords.Properties(schema) ?? [])
                {
                    if (property is JsonObject propertySchema && propertySchema["default"] is { } value
                        && (!obj.TryGetPropertyValue(name, out var current) || IsNonNullableNull(current, propertySchema)))
                    {
                        obj[name] = value.DeepClone();
                    }
                }

                foreach (var (name, value) in obj.ToList())
                {
                    if (Keywords.Property(schema, name) is { } propertySchema)
                    {
                        Default(propertySchema, value);
                    }
                    else if (Keywords.AdditionalProperties(schema) is { } valueSchema)
                    {
                        if (IsNonNullableNull(value, valueSchema) && valueSchema["default"] is { } valueDefault)
                        {
                            obj[name] = valueDefault.DeepClone();
                        }

                        Default(valueSchema, obj[name]);
                    }
                }

                break;
            case JsonArray array when Keywords.Items(schema) is { } itemSchema:
                for (var i = 0; i < array.Count; i++)
                {
                    if (IsNonNullableNull(array[i], itemSchema) && itemSchema["default"] is { } itemDefault)
                    {
                        array[i] = itemDefault.DeepClone();
                    }

                    Default(itemSchema, array[i]);
                }

                break;
        }
    }

    private static void PruneNulls(JsonObject schema, JsonNode? node)
    {
        switch (node)
        {
            case JsonObject obj:
                foreach (var (name, value) in obj.ToList())
                {
                    var valueSchema = Keywords.Property(schema, name) ?? Keywords.AdditionalProperties(schema);
                    if (valueSchema is null)
                    {
                        continue;
                    }

                    if (IsNonNullableNull(value, valueSchema) && valueSchema["default"] is null)
                    {
                        obj.Remove(name);
                    }
                    else
                    {
                        PruneNulls(valueSchema, value);
                    }
                }

                break;
            case JsonArray array when Keywords.Items(schema) is { } itemSchema:
                foreach (var item in array)
                {
                    PruneNulls(itemSchema, item);
                }

                break;
        }
    }
}
