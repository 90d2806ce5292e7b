using System.ComponentModel;
using System.Reflection;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization.Metadata;
using GitOpsReverser.Api.Schema;
using GitOpsReverser.Api.V1Alpha1;

namespace GitOpsReverser.CrdGen;

/// <summary>
/// The reference pages' field tables of a kind's spec and status: one row per described field, its default and its validation
/// read from the same schema the CRD holds, its meaning from the same description.
/// </summary>
internal static class ReferenceTables
{
    /// <summary>The table of a spec (with each field's default) or of a status (<paramref name="withDefaults"/> false).</summary>
    public static string Of(Type part, bool withDefaults)
    {
        var text = new StringBuilder();
        text.Append(withDefaults ? "| field | default | validation | meaning |\n|---|---|---|---|\n" : "| field | validation | meaning |\n|---|---|---|\n");
        Rows(text, part, SchemaBuilder.Of(part), "", withDefaults);
        return text.ToString();
    }

    private static void Rows(StringBuilder text, Type type, JsonObject schema, string prefix, bool withDefaults)
    {
        var info = ApiGroup.JsonOptions.GetTypeInfo(type);
        if (info.Kind != JsonTypeInfoKind.Object)
        {
            return;
        }

        foreach (var property in info.Properties)
        {
            var member = (MemberInfo)property.AttributeProvider!;
            var node = schema["properties"]![property.Name]!.AsObject();
            var name = prefix + property.Name;
            if (member.GetCustomAttribute<DescriptionAttribute>() is { } description)
            {
                var required = schema["required"] is JsonArray list && list.Any(entry => (string?)entry == property.Name);
                var shown = (string?)node["type"] == "array" ? name + "[]" : name;
                var defaultCell = withDefaults ? $" {Cell(Default(member, node, required))} |" : "";
                text.Append($"| `{shown}` |{defaultCell} {Cell(Validation(node))} | {Cell(description.Description)} |\n");
            }

            var inner = Nullable.GetUnderlyingType(property.PropertyType) ?? property.PropertyType;
            if (inner.IsClass && inner != typeof(string) && !inner.IsGenericType)
            {
                Rows(text, inner, node, name + ".", withDefaults);
            }
        }
    }

    private static string Default(MemberInfo member, JsonObject node, bool required) =>
        node["default"] is { } value ? $"`{value}`"
        : member.GetCustomAttribute<DocumentedDefaultAttribute>() is { } documented ? documented.Text
        : required ? "required"
        : "none";

    private static string Validation(JsonObject node)
    {
        var parts = new List<string>();
        var type = (string?)node["type"];
        var items = node["items"] as JsonObject;
        parts.Add(type switch
        {
            "array" when items is not null => $"list of {Kind(items)}",
            "object" when node["additionalProperties"] is JsonObject values => $"map of {Kind(values)}",
            _ => Kind(node),
        });
        Constraints(node, parts, "");
        if (items is not null)
        {
            Constraints(items, parts, "each ");
        }

        return string.Join("; ", parts);
    }

    private static string Kind(JsonObject node) => (string?)node["type"] switch
    {
        "string" when node["format"] is { } format => $"string ({format})",
        "integer" => "integer",
        var other => other ?? "any",
    };

    private static void Constraints(JsonObject node, List<string> parts, string each)
    {
        if (node["enum"] is JsonArray values)
        {
            parts.Add($"{each}one of {string.Join(", ", values.Select(value => $"`{value}`"))}");
        }

        Add(parts, node, "minLength", $"{each}at least {{0}} character(s)");
        Add(parts, node, "maxLength", $"{each}at most {{0}} characters");
        Add(parts, node, "minItems", "at least {0} items");
        Add(parts, node, "maxItems", "at most {0} items");
        Add(parts, node, "minimum", $"{each}at least {{0}}");
        Add(parts, node, "maximum", $"{each}at most {{0}}");
        if (node["pattern"] is { } pattern)
        {
            parts.Add($"{each}matches `{pattern}`");
        }

        if ((string?)node["x-kubernetes-list-type"] == "set")
        {
            parts.Add("no duplicates");
        }

        foreach (var rule in node["x-kubernetes-validations"] as JsonArray ?? [])
        {
            parts.Add($"{each}rule: `{rule!["message"]}`");
        }
    }

    private static void Add(List<string> parts, JsonObject node, string key, string format)
    {
        if (node[key] is { } value)
        {
            parts.Add(string.Format(System.Globalization.CultureInfo.InvariantCulture, format, ((long)value).ToString("N0", System.Globalization.CultureInfo.InvariantCulture)));
        }
    }

    private static string Cell(string text) => text.Replace("|", "\\|", StringComparison.Ordinal).Replace("\n", " ", StringComparison.Ordinal);
}
