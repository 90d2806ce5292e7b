using System.Globalization;
using System.Text.Json.Nodes;

namespace GitOpsReverser.KubeSim.Validation;

/// <summary>
/// A decoded JSON value as Kubernetes binds it to <c>self</c>: objects as maps, arrays as lists, integers as
/// int, numbers as double, and strings of format date-time or date as timestamps. At the root, metadata
/// carries only name and generateName.
/// </summary>
internal static class CelValues
{
    public static object? From(JsonNode? node, JsonObject? schema, bool root = false) => node switch
    {
        null => null,
        JsonObject obj => Map(obj, schema, root),
        JsonArray array => array.Select(item => From(item, schema is null ? null : Keywords.Items(schema))).ToArray(),
        _ => JsonKind.Of(node).Type switch
        {
            "string" => Text(node.GetValue<string>(), schema),
            "boolean" => node.GetValue<bool>(),
            "integer" => JsonKind.Integer((JsonValue)node),
            _ => JsonKind.Number((JsonValue)node),
        },
    };

    private static Dictionary<string, object?> Map(JsonObject obj, JsonObject? schema, bool root)
    {
        var map = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (var (key, child) in obj)
        {
            if (root && key == "metadata" && child is JsonObject metadata)
            {
                var visible = new JsonObject();
                foreach (var field in new[] { "name", "generateName" })
                {
                    if (metadata[field] is { } value)
                    {
                        visible[field] = value.DeepClone();
                    }
                }

                map[key] = Map(visible, null, false);
                continue;
            }

            var childSchema = schema is null ? null : Keywords.Property(schema, key) ?? Keywords.AdditionalProperties(schema);
            map[key] = From(child, childSchema);
        }

        return map;
    }

    private static object Text(string text, JsonObject? schema) =>
        schema is not null && (string?)schema["format"] is "date-time" or "datetime" or "date"
            && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time)
            ? time
            : text;
}
