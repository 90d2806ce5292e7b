using System.Text.Json;
using System.Text.Json.Nodes;

namespace GitOpsReverser.KubeSim.Validation;

/// <summary>Reads the keywords of one structural-schema node.</summary>
internal static class Keywords
{
    /// <summary>The node's type; <c>integer,string</c> under x-kubernetes-int-or-string, as the API server converts it.</summary>
    public static IReadOnlyList<string> Types(JsonObject schema) =>
        IsTrue(schema, "x-kubernetes-int-or-string") ? ["integer", "string"]
        : (string?)schema["type"] is { Length: > 0 } type ? [type]
        : [];

    /// <summary>The type name CEL errors print (<c>object</c>, <c>string</c>; empty for int-or-string).</summary>
    public static string Type(JsonObject schema) => (string?)schema["type"] ?? "";

    public static bool IsTrue(JsonObject schema, string keyword) =>
        schema[keyword] is JsonValue value && value.GetValueKind() == JsonValueKind.True;

    /// <summary>The node's format when the API server keeps it (see <see cref="StringFormats.IsSupported"/>), else empty.</summary>
    public static string Format(JsonObject schema) =>
        (string?)schema["format"] is { Length: > 0 } format && StringFormats.IsSupported(format) ? format : "";

    public static JsonObject? Properties(JsonObject schema) => schema["properties"] as JsonObject;

    public static JsonObject? Property(JsonObject schema, string name) => Properties(schema)?[name] as JsonObject;

    public static JsonObject? AdditionalProperties(JsonObject schema) => schema["additionalProperties"] as JsonObject;

    public static JsonObject? Items(JsonObject schema) => schema["items"] as JsonObject;

    public static string? ListType(JsonObject schema) => (string?)schema["x-kubernetes-list-type"];

    public static IReadOnlyList<string> ListMapKeys(JsonObject schema) =>
        (schema["x-kubernetes-list-map-keys"] as JsonArray ?? []).Select(key => (string?)key ?? "").ToList();

    public static long? Long(JsonObject schema, string keyword) =>
        schema[keyword] is JsonValue value && value.GetValueKind() == JsonValueKind.Number ? (long)JsonKind.Number(value) : null;

    public static double? Number(JsonObject schema, string keyword) =>
        schema[keyword] is JsonValue value && value.GetValueKind() == JsonValueKind.Number ? JsonKind.Number(value) : null;

    public static IEnumerable<JsonObject> Schemas(JsonObject schema, string keyword) =>
        (schema[keyword] as JsonArray ?? []).OfType<JsonObject>();

    /// <summary>The old list item a new one correlates with in a <c>map</c> list: the one with the same key values.</summary>
    public static JsonNode? MatchingItem(JsonObject schema, JsonObject item, JsonArray? oldItems)
    {
        var keys = ListMapKeys(schema);
        if (oldItems is null || keys.Count == 0)
        {
            return null;
        }

        return oldItems.OfType<JsonObject>().FirstOrDefault(old => keys.All(key => JsonEquality.Equal(old[key], item[key])));
    }
}
