using System.Text.Json.Nodes;

namespace GitOpsReverser.KubeSim.Validation;

/// <summary>Deep equality of decoded JSON as Go's reflect.DeepEqual sees it: numbers by value, objects by key.</summary>
internal static class JsonEquality
{
    public static bool Equal(JsonNode? left, JsonNode? right)
    {
        switch (left, right)
        {
            case (null, null):
                return true;
            case (JsonObject a, JsonObject b):
                return a.Count == b.Count && a.All(pair => b.TryGetPropertyValue(pair.Key, out var other) && Equal(pair.Value, other));
            case (JsonArray a, JsonArray b):
                return a.Count == b.Count && a.Select((item, i) => Equal(item, b[i])).All(same => same);
            case (JsonValue a, JsonValue b):
                var kindA = JsonKind.Of(a);
                var kindB = JsonKind.Of(b);
                if (kindA.Type != kindB.Type)
                {
                    return false;
                }

                return kindA.Type switch
                {
                    "string" => a.GetValue<string>() == b.GetValue<string>(),
                    "boolean" => a.GetValue<bool>() == b.GetValue<bool>(),
                    "integer" => JsonKind.Integer(a) == JsonKind.Integer(b),
                    _ => JsonKind.Number(a).Equals(JsonKind.Number(b)),
                };
            default:
                return false;
        }
    }
}
