using System.Text.Json;
using System.Text.Json.Nodes;

namespace GitOpsReverser.KubeSim.Validation;

/// <summary>
/// The JSON type of a decoded value as the API server sees it: its decoder makes a whole number that fits
/// int64 an <c>integer</c> and every other number a float64 <c>number</c>; kube-openapi names each with a format.
/// </summary>
internal readonly record struct JsonKind(string Type, string Format)
{
    public static JsonKind Of(JsonNode? node) => node switch
    {
        null => new("null", ""),
        JsonObject => new("object", ""),
        JsonArray => new("array", ""),
        JsonValue value => value.GetValueKind() switch
        {
            JsonValueKind.String => new("string", ""),
            JsonValueKind.True or JsonValueKind.False => new("boolean", ""),
            JsonValueKind.Number => TryInteger(value, out _) ? new("integer", "int64") : new("number", "float64"),
            _ => new("null", ""),
        },
        _ => new("null", ""),
    };

    public static long Integer(JsonValue value) => TryInteger(value, out var integer) ? integer : (long)Number(value);

    public static double Number(JsonValue value) => value.TryGetValue<JsonElement>(out var element)
        ? element.GetDouble()
        : Convert.ToDouble(value.GetValue<object>(), System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>True for a number written without a fraction or exponent that fits int64.</summary>
    public static bool TryInteger(JsonValue value, out long integer)
    {
        if (value.TryGetValue<JsonElement>(out var element))
        {
            var raw = element.GetRawText();
            if (raw.AsSpan().IndexOfAny('.', 'e', 'E') < 0 && element.TryGetInt64(out integer))
            {
                return true;
            }

            integer = 0;
            return false;
        }

        switch (value.GetValue<object>())
        {
            case int small:
                integer = small;
                return true;
            case long large:
                integer = large;
                return true;
            case short or byte or sbyte or ushort or uint:
                integer = Convert.ToInt64(value.GetValue<object>(), System.Globalization.CultureInfo.InvariantCulture);
                return true;
            default:
                integer = 0;
                return false;
        }
    }

    /// <summary>True when a float64 holds a whole number JSON can carry exactly (kube-openapi's IsFloat64AJSONInteger).</summary>
    public static bool IsJsonInteger(double value) =>
        !double.IsNaN(value) && !double.IsInfinity(value) && Math.Abs(value) <= 1L << 53 && Math.Floor(value) == value;
}
