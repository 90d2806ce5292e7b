using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;

namespace GitOpsReverser.KubeSim.Validation;

/// <summary>
/// Go's fmt verbs as apimachinery's error texts use them: <c>%q</c> for strings, <c>%v</c> for numbers and
/// <c>%#v</c> for maps and slices, so a value in a KubeSim message reads as a real API server prints it.
/// </summary>
internal static class GoFormat
{
    /// <summary>A value as <c>field.Error</c> prints it: strings quoted, numbers and booleans bare, null as "null".</summary>
    public static string Value(object? value) => value switch
    {
        null => Quote("null"),
        string text => Quote(text),
        bool flag => flag ? "true" : "false",
        int or long => Convert.ToString(value, CultureInfo.InvariantCulture)!,
        double number => Float(number),
        GoLiteral literal => literal.Text,
        JsonNode node => Node(node, quoteNull: true),
        _ => Convert.ToString(value, CultureInfo.InvariantCulture) ?? "",
    };

    /// <summary>Go's <c>strconv.Quote</c>: printable characters kept, the rest escaped.</summary>
    public static string Quote(string text)
    {
        var builder = new StringBuilder(text.Length + 2).Append('"');
        foreach (var rune in text.EnumerateRunes())
        {
            switch (rune.Value)
            {
                case '"': builder.Append("\\\""); break;
                case '\\': builder.Append("\\\\"); break;
                case '\a': builder.Append("\\a"); break;
                case '\b': builder.Append("\\b"); break;
                case '\f': builder.Append("\\f"); break;
                case '\n': builder.Append("\\n"); break;
                case '\r': builder.Append("\\r"); break;
                case '\t': builder.Append("\\t"); break;
                case '\v': builder.Append("\\v"); break;
                case < 0x20 or 0x7f: builder.Append(CultureInfo.InvariantCulture, $"\\x{rune.Value:x2}"); break;
                default:
                    if (Rune.GetUnicodeCategory(rune) is UnicodeCategory.Control or UnicodeCategory.Format or UnicodeCategory.OtherNotAssigned)
                    {
                        builder.Append(rune.Value > 0xffff
                            ? string.Create(CultureInfo.InvariantCulture, $"\\U{rune.Value:x8}")
                            : string.Create(CultureInfo.InvariantCulture, $"\\u{rune.Value:x4}"));
                    }
                    else
                    {
                        builder.Append(rune.ToString());
                    }

                    break;
            }
        }

        return builder.Append('"').ToString();
    }

    /// <summary>A float64 as <c>%v</c> prints it: the shortest digits, in exponent form below 1e-4 and from 1e+06.</summary>
    public static string Float(double value)
    {
        if (double.IsNaN(value))
        {
            return "NaN";
        }

        if (double.IsInfinity(value))
        {
            return value > 0 ? "+Inf" : "-Inf";
        }

        if (value == 0)
        {
            return double.IsNegative(value) ? "-0" : "0";
        }

        // "R" gives the shortest digits that round-trip; take them apart into digits and a decimal exponent.
        var roundTrip = Math.Abs(value).ToString("R", CultureInfo.InvariantCulture);
        var (digits, exponent) = Decompose(roundTrip);
        var sign = value < 0 ? "-" : "";
        if (exponent < -4 || exponent >= 6)
        {
            var mantissa = digits.Length > 1 ? $"{digits[0]}.{digits[1..]}" : digits;
            return $"{sign}{mantissa}e{(exponent < 0 ? '-' : '+')}{Math.Abs(exponent):00}";
        }

        if (exponent < 0)
        {
            return $"{sign}0.{new string('0', -exponent - 1)}{digits}";
        }

        return digits.Length <= exponent + 1
            ? sign + digits + new string('0', exponent + 1 - digits.Length)
            : $"{sign}{digits[..(exponent + 1)]}.{digits[(exponent + 1)..]}";
    }

    /// <summary>A JSON value as Go prints the decoded value with <c>%#v</c> inside a map or slice.</summary>
    public static string Node(JsonNode? node, bool quoteNull = false) => node switch
    {
        null => quoteNull ? Quote("null") : "interface {}(nil)",
        JsonObject obj => "map[string]interface {}{" + string.Join(", ",
            obj.OrderBy(pair => pair.Key, StringComparer.Ordinal).Select(pair => $"{Quote(pair.Key)}:{Node(pair.Value)}")) + "}",
        JsonArray array => "[]interface {}{" + string.Join(", ", array.Select(item => Node(item))) + "}",
        _ => JsonKind.Of(node).Type switch
        {
            "string" => Quote(node.GetValue<string>()),
            "boolean" => node.GetValue<bool>() ? "true" : "false",
            "integer" => JsonKind.Integer((JsonValue)node).ToString(CultureInfo.InvariantCulture),
            _ => Float(JsonKind.Number((JsonValue)node)),
        },
    };

    private static (string Digits, int Exponent) Decompose(string text)
    {
        var exponent = 0;
        var e = text.IndexOfAny(['E', 'e']);
        if (e >= 0)
        {
            exponent = int.Parse(text[(e + 1)..], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
            text = text[..e];
        }

        var point = text.IndexOf('.', StringComparison.Ordinal);
        var integerPart = point >= 0 ? text[..point] : text;
        var fraction = point >= 0 ? text[(point + 1)..] : "";
        var all = integerPart + fraction;
        var leadingZeros = all.Length - all.TrimStart('0').Length;
        var digits = all.Trim('0');
        exponent += integerPart.Length - 1 - leadingZeros;
        return (digits.Length == 0 ? "0" : digits, exponent);
    }
}

/// <summary>Text already in Go's <c>%#v</c> form (a struct, a map), printed as it is.</summary>
internal sealed record GoLiteral(string Text);
