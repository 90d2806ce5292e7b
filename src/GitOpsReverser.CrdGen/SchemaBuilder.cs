using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Schema;
using System.Text.Json.Serialization.Metadata;
using System.Text.RegularExpressions;
using GitOpsReverser.Api.Schema;
using GitOpsReverser.Api.V1Alpha1;

namespace GitOpsReverser.CrdGen;

/// <summary>
/// The OpenAPI v3 schema of a type as a CRD holds it: System.Text.Json's <see cref="JsonSchemaExporter"/> gives the
/// shape (properties, types, enums, lists, maps) as the operator reads it; the attributes of
/// <see cref="GitOpsReverser.Api.Schema"/>, DataAnnotations and <see cref="DescriptionAttribute"/> add what the API
/// server checks. Keys come out in one fixed order, so the files are stable.
/// </summary>
internal static partial class SchemaBuilder
{
    private static readonly string[] KeyOrder =
    [
        "type", "format", "description", "default", "enum", "minLength", "maxLength", "pattern", "minimum", "maximum",
        "minItems", "maxItems", "x-kubernetes-list-type", "required", "x-kubernetes-validations", "items", "properties", "additionalProperties",
    ];

    // Parsed again, so that every value is a JSON element whatever CLR value it was built from.
    public static JsonObject Of(Type type) => JsonNode.Parse(Ordered(Exported(type)).ToJsonString())!.AsObject();

    private static JsonObject Exported(Type type) =>
        JsonSchemaExporter.GetJsonSchemaAsNode(ApiGroup.JsonOptions, type, new JsonSchemaExporterOptions
        {
            TreatNullObliviousAsNonNullable = true,
            TransformSchemaNode = Annotate,
        }).AsObject();

    private static JsonNode Annotate(JsonSchemaExporterContext context, JsonNode node)
    {
        if (node is not JsonObject schema)
        {
            throw new InvalidOperationException($"{context.TypeInfo.Type}: a schema of true or false has no place in a CRD");
        }

        // The exporter points a type's second use at its first ($ref); a CRD allows no references, so each use gets the whole
        // schema of its type (none of ours is recursive), and then this property's own attributes.
        if (schema.ContainsKey("$ref"))
        {
            schema = Exported(context.TypeInfo.Type);
        }

        WithoutNull(schema);
        if ((Nullable.GetUnderlyingType(context.TypeInfo.Type) ?? context.TypeInfo.Type) is { IsEnum: true })
        {
            schema["type"] = "string";
        }

        schema.Remove("default");
        schema.Remove("required");

        // Required are the properties marked [Required]; the operator reads an absent one as null and says what is missing.
        if (context.TypeInfo.Kind == JsonTypeInfoKind.Object
            && context.TypeInfo.Properties.Where(property => property.AttributeProvider?.IsDefined(typeof(RequiredAttribute), true) == true).ToList() is { Count: > 0 } required)
        {
            schema["required"] = new JsonArray(required.Select(property => (JsonNode)property.Name).ToArray());
        }

        if (context.TypeInfo.Type.GetCustomAttributes<ValidationRuleAttribute>() is var typeRules && typeRules.Any())
        {
            schema["x-kubernetes-validations"] = Rules(typeRules);
        }

        if (context.TypeInfo.Type.GetCustomAttribute<DescriptionAttribute>() is { } typeDescription && context.PropertyInfo is null)
        {
            schema["description"] = Plain(typeDescription.Description);
        }

        // The property's attributes belong to the property's own node, not to its items or map values.
        var path = context.Path;
        var ownNode = path.Length == 0 || path[^1] is not ("items" or "additionalProperties");
        if (context.PropertyInfo?.AttributeProvider is MemberInfo member && ownNode)
        {
            ApplyPropertyAttributes(member, schema);
        }

        return schema;
    }

    private static void ApplyPropertyAttributes(MemberInfo member, JsonObject schema)
    {
        var isArray = (string?)schema["type"] == "array";
        foreach (var attribute in member.GetCustomAttributes())
        {
            switch (attribute)
            {
                case DescriptionAttribute description:
                    schema["description"] = Plain(description.Description);
                    break;
                case DefaultValueAttribute { Value: { } value }:
                    schema["default"] = value is Enum ? JsonSerializer.SerializeToNode(value, value.GetType(), ApiGroup.JsonOptions) : JsonValue.Create(value.ToString());
                    break;
                case MinLengthAttribute minimum:
                    schema[isArray ? "minItems" : "minLength"] = minimum.Length;
                    break;
                case MaxLengthAttribute maximum:
                    schema[isArray ? "maxItems" : "maxLength"] = maximum.Length;
                    break;
                case RegularExpressionAttribute pattern:
                    schema["pattern"] = pattern.Pattern;
                    break;
                case RangeAttribute range:
                    schema["minimum"] = (long)Convert.ToDouble(range.Minimum, System.Globalization.CultureInfo.InvariantCulture);
                    if (Convert.ToDouble(range.Maximum, System.Globalization.CultureInfo.InvariantCulture) is var maximumValue && maximumValue < long.MaxValue)
                    {
                        schema["maximum"] = (long)maximumValue;
                    }

                    break;
                case FormatAttribute format:
                    schema["format"] = format.Format;
                    break;
                case ListTypeAttribute listType:
                    schema["x-kubernetes-list-type"] = listType.Type;
                    break;
                case ItemMaxLengthAttribute itemLength:
                    schema["items"]!["maxLength"] = itemLength.Length;
                    break;
            }
        }

        var rules = member.GetCustomAttributes<ValidationRuleAttribute>().ToList();
        if (rules.Any(rule => !rule.OnItems))
        {
            schema["x-kubernetes-validations"] = Rules(rules.Where(rule => !rule.OnItems));
        }

        if (rules.Any(rule => rule.OnItems))
        {
            schema["items"]!["x-kubernetes-validations"] = Rules(rules.Where(rule => rule.OnItems));
        }
    }

    private static JsonObject Ordered(JsonObject schema)
    {
        var ordered = new JsonObject();
        foreach (var key in KeyOrder.Where(schema.ContainsKey).Concat(schema.Select(pair => pair.Key).Where(key => !KeyOrder.Contains(key)).Order(StringComparer.Ordinal)).ToList())
        {
            var value = schema[key]!;
            schema.Remove(key);
            ordered[key] = key switch
            {
                "properties" => new JsonObject(value.AsObject().ToList().Select(pair =>
                {
                    value.AsObject().Remove(pair.Key);
                    return KeyValuePair.Create(pair.Key, (JsonNode?)Ordered(pair.Value!.AsObject()));
                })),
                "items" or "additionalProperties" when value is JsonObject inner => Ordered(inner),
                _ => value,
            };
        }

        return ordered;
    }

    private static void WithoutNull(JsonObject schema)
    {
        if (schema["type"] is JsonArray types)
        {
            var kept = types.Select(type => (string?)type).Where(type => type != "null").ToList();
            schema["type"] = kept.Count == 1 ? kept[0] : throw new InvalidOperationException($"a CRD value has one type, not {types.ToJsonString()}");
        }

        if (schema["enum"] is JsonArray values)
        {
            schema["enum"] = new JsonArray(values.Where(value => value is not null).Select(value => value!.DeepClone()).ToArray());
        }
    }

    private static JsonArray Rules(IEnumerable<ValidationRuleAttribute> rules) =>
        new(rules.OrderBy(rule => rule.Order).Select(rule =>
        {
            var entry = new JsonObject { ["rule"] = rule.Rule, ["message"] = rule.Message };
            if (rule.FieldPath is { } fieldPath)
            {
                entry["fieldPath"] = fieldPath;
            }

            return (JsonNode)entry;
        }).ToArray());

    /// <summary>A description as <c>kubectl explain</c> shows it: Markdown links become their text.</summary>
    public static string Plain(string markdown) => MarkdownLink().Replace(markdown, "$1");

    [GeneratedRegex(@"\[([^\]]+)\]\([^)]+\)")]
    private static partial Regex MarkdownLink();
}
