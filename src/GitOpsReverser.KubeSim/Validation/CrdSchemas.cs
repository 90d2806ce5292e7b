using System.Text.Json.Nodes;

namespace GitOpsReverser.KubeSim.Validation;

/// <summary>
/// What the API server refuses in a CRD's schemas: a version without one, a schema that is not structural (a
/// field or item without a type, metadata beyond name and generateName, an array without items), keywords a
/// structural schema may not use, list types without their keys, a pattern or CEL rule that does not compile,
/// and a default that does not validate against its own schema. Identical schemas of every version are
/// reported under <c>spec.validation.openAPIV3Schema</c>, as the API server's internal form holds them.
/// </summary>
internal static class CrdSchemas
{
    private static readonly string[] Reasons = ["FieldValueDuplicate", "FieldValueForbidden", "FieldValueInvalid", "FieldValueRequired"];

    public static List<FieldError> Validate(JsonArray versions)
    {
        var errors = new List<FieldError>();
        var schemas = versions.Select(version => version?["schema"]?["openAPIV3Schema"] as JsonObject).ToList();
        var shared = schemas.Count > 0 && schemas[0] is not null && schemas.All(schema => JsonEquality.Equal(schema, schemas[0]));
        if (shared)
        {
            Check(schemas[0]!, "spec.validation.openAPIV3Schema", errors);
            return errors;
        }

        for (var i = 0; i < schemas.Count; i++)
        {
            if (schemas[i] is { } schema)
            {
                Check(schema, $"spec.versions[{i}].schema.openAPIV3Schema", errors);
            }
            else
            {
                errors.Add(FieldError.Required($"spec.versions[{i}].schema.openAPIV3Schema", "schemas are required"));
            }
        }

        return errors;
    }

    private static void Check(JsonObject schema, string path, List<FieldError> errors)
    {
        var keywordErrors = new List<FieldError>();
        var structuralErrors = new List<FieldError>();
        Node(schema, path, Level.Root, keywordErrors, structuralErrors);
        errors.AddRange(keywordErrors);
        errors.AddRange(structuralErrors);
        if (keywordErrors.Count == 0 && structuralErrors.Count == 0)
        {
            Defaults(schema, path, errors);
        }
    }

    private enum Level
    {
        Root,
        Field,
        Item,
    }

    private static void Node(JsonObject schema, string path, Level level, List<FieldError> keywordErrors, List<FieldError> structuralErrors)
    {
        CheckKeywords(schema, path, keywordErrors);
        var type = (string?)schema["type"] ?? "";
        if (type == "array" && schema["items"] is null)
        {
            structuralErrors.Add(FieldError.Required($"{path}.items", "must be specified"));
        }

        if (Keywords.Items(schema) is { } items)
        {
            Node(items, $"{path}.items", Level.Item, keywordErrors, structuralErrors);
        }

        foreach (var (name, property) in Keywords.Properties(schema) ?? [])
        {
            if (property is JsonObject propertySchema)
            {
                Node(propertySchema, $"{path}.properties[{name}]", Level.Field, keywordErrors, structuralErrors);
            }
        }

        if (Keywords.AdditionalProperties(schema) is { } valueSchema)
        {
            Node(valueSchema, $"{path}.additionalProperties", Level.Field, keywordErrors, structuralErrors);
        }

        var exempt = Keywords.IsTrue(schema, "x-kubernetes-int-or-string") || Keywords.IsTrue(schema, "x-kubernetes-embedded-resource")
            || Keywords.IsTrue(schema, "x-kubernetes-preserve-unknown-fields");
        if (type.Length == 0 && !exempt)
        {
            structuralErrors.Add(FieldError.Required($"{path}.type", level switch
            {
                Level.Root => "must not be empty at the root",
                Level.Item => "must not be empty for specified array items",
                _ => "must not be empty for specified object fields",
            }));
        }

        if (level == Level.Root)
        {
            Root(schema, type, path, structuralErrors);
        }
    }

    private static void Root(JsonObject schema, string type, string path, List<FieldError> errors)
    {
        if (type.Length > 0 && type != "object")
        {
            errors.Add(FieldError.Invalid($"{path}.type", type, "must be object at the root"));
        }

        foreach (var (field, expected) in new[] { ("kind", "string"), ("apiVersion", "string"), ("metadata", "object") })
        {
            if (Keywords.Property(schema, field) is { } property && (string?)property["type"] is var actual && actual != expected)
            {
                errors.Add(FieldError.Invalid($"{path}.properties[{field}].type", actual ?? "", $"must be {expected}"));
            }
        }

        if (Keywords.Property(schema, "metadata") is { } metadata)
        {
            var allowed = new HashSet<string>(["type", "description", "properties"], StringComparer.Ordinal);
            var onlyNames = (Keywords.Properties(metadata) ?? []).All(pair => pair.Key is "name" or "generateName");
            if (!onlyNames || metadata.Any(pair => !allowed.Contains(pair.Key)))
            {
                errors.Add(FieldError.Forbidden($"{path}.properties[metadata]",
                    "must not specify anything other than name and generateName, but metadata is implicitly specified"));
            }
        }
    }

    // The per-keyword rules of the API server's JSONSchemaProps validation.
    private static void CheckKeywords(JsonObject schema, string path, List<FieldError> errors)
    {
        if (Keywords.IsTrue(schema, "uniqueItems"))
        {
            errors.Add(FieldError.Forbidden($"{path}.uniqueItems", "uniqueItems cannot be set to true since the runtime complexity becomes quadratic"));
        }

        if (schema["additionalProperties"] is not null && schema["properties"] is not null)
        {
            errors.Add(FieldError.Forbidden($"{path}.additionalProperties", "additionalProperties and properties are mutual exclusive"));
        }

        if (schema["x-kubernetes-preserve-unknown-fields"] is JsonValue preserve && preserve.GetValueKind() == System.Text.Json.JsonValueKind.False)
        {
            errors.Add(FieldError.Invalid($"{path}.x-kubernetes-preserve-unknown-fields", false, "must be true or undefined"));
        }

        if ((string?)schema["pattern"] is { } pattern && Patterns.Compile(pattern, out var problem) is null)
        {
            errors.Add(FieldError.Invalid($"{path}.pattern", pattern, $"must be a valid regular expression, but isn't: {problem}"));
        }

        ListType(schema, path, errors);
        Rules(schema, path, errors);
    }

    private static void ListType(JsonObject schema, string path, List<FieldError> errors)
    {
        var listType = Keywords.ListType(schema);
        var keys = Keywords.ListMapKeys(schema);
        if (listType is not null and not ("atomic" or "set" or "map"))
        {
            errors.Add(FieldError.NotSupported($"{path}.x-kubernetes-list-type", listType, ["atomic", "set", "map"]));
        }

        if (listType == "map" && keys.Count == 0)
        {
            errors.Add(FieldError.Required($"{path}.x-kubernetes-list-map-keys", "must not be empty if x-kubernetes-list-type is map"));
        }

        if (listType != "map" && keys.Count > 0)
        {
            errors.Add(FieldError.Forbidden($"{path}.x-kubernetes-list-map-keys", "must not be set if x-kubernetes-list-type is not map"));
        }

        if (listType == "set" && Keywords.Items(schema) is { } setItems)
        {
            // A set compares whole items, so object and array items must be atomic.
            var (keyword, itemType) = ((string?)setItems["type"]) switch
            {
                "object" => ("x-kubernetes-map-type", (string?)setItems["x-kubernetes-map-type"]),
                "array" => ("x-kubernetes-list-type", (string?)setItems["x-kubernetes-list-type"]),
                _ => ("", "atomic"),
            };
            if (itemType != "atomic")
            {
                errors.Add(FieldError.Invalid($"{path}.items.{keyword}", itemType, "must be atomic as item of a list with x-kubernetes-list-type=set"));
            }
        }

        if (listType == "map" && Keywords.Items(schema) is { } items)
        {
            var required = (items["required"] as JsonArray ?? []).Select(key => (string?)key).ToHashSet(StringComparer.Ordinal);
            foreach (var key in keys)
            {
                if (Keywords.Property(items, key) is not { } property)
                {
                    errors.Add(FieldError.Required($"{path}.items.properties[{key}]", "entries mentioned in x-kubernetes-list-map-keys must be specified"));
                }
                else if (property["default"] is null && !required.Contains(key))
                {
                    errors.Add(FieldError.Required($"{path}.items.properties[{key}].default",
                        "this property is in x-kubernetes-list-map-keys, so it must have a default or be a required property"));
                }
            }
        }
    }

    private static void Rules(JsonObject schema, string path, List<FieldError> errors)
    {
        var index = 0;
        foreach (var rule in schema["x-kubernetes-validations"] as JsonArray ?? [])
        {
            var rulePath = $"{path}.x-kubernetes-validations[{index++}]";
            if (rule is not JsonObject ruleObject || (string?)ruleObject["rule"] is not { Length: > 0 } text)
            {
                errors.Add(FieldError.Required($"{rulePath}.rule", "rule is not specified"));
                continue;
            }

            if (CelRules.Compile(text).Error is { } error)
            {
                errors.Add(FieldError.Invalid($"{rulePath}.rule", new GoLiteral(GoRule(ruleObject)), error));
            }

            if ((string?)ruleObject["messageExpression"] is { Length: > 0 } expression && CelRules.Compile(expression).Error is { } messageError)
            {
                errors.Add(FieldError.Invalid($"{rulePath}.messageExpression", expression, $"messageExpression {messageError}"));
            }

            if ((string?)ruleObject["reason"] is { } reason && !Reasons.Contains(reason))
            {
                errors.Add(FieldError.NotSupported($"{rulePath}.reason", reason, Reasons));
            }
        }
    }

    // The rule as Go prints apiextensions.ValidationRule with %#v.
    private static string GoRule(JsonObject rule)
    {
        static string Text(JsonObject rule, string key) => GoFormat.Quote((string?)rule[key] ?? "");
        var reason = (string?)rule["reason"] is { } value ? $"&{GoFormat.Quote(value)}" : "(*apiextensions.FieldValueErrorReason)(nil)";
        var optional = rule["optionalOldSelf"] is JsonValue flag ? $"&{(flag.GetValueKind() == System.Text.Json.JsonValueKind.True ? "true" : "false")}" : "(*bool)(nil)";
        return $"apiextensions.ValidationRule{{Rule:{Text(rule, "rule")}, Message:{Text(rule, "message")}, MessageExpression:{Text(rule, "messageExpression")}, " +
            $"Reason:{reason}, FieldPath:{Text(rule, "fieldPath")}, OptionalOldSelf:{optional}}}";
    }

    // Every default must be pruned (no unknown fields) and valid against its schema and its rules.
    private static void Defaults(JsonObject schema, string path, List<FieldError> errors)
    {
        if (schema["default"] is { } value)
        {
            var pruned = value.DeepClone();
            Pruning.RemoveUnknown(schema, pruned);
            var valueErrors = new List<FieldError>();
            if (!JsonEquality.Equal(pruned, value))
            {
                valueErrors.Add(FieldError.Invalid($"{path}.default", new GoLiteral(GoFormat.Node(value)), "must not have unknown fields"));
            }
            else
            {
                valueErrors.AddRange(SchemaValidator.Validate(schema, value, $"{path}.default"));
                valueErrors.AddRange(ListTypes.Validate(schema, value));
                if (valueErrors.Count == 0)
                {
                    valueErrors.AddRange(CelValidator.Validate(schema, value, path: $"{path}.default", root: false));
                }
            }

            errors.AddRange(valueErrors);
        }

        if (Keywords.Items(schema) is { } items)
        {
            Defaults(items, $"{path}.items", errors);
        }

        foreach (var (name, property) in Keywords.Properties(schema) ?? [])
        {
            if (property is JsonObject propertySchema)
            {
                Defaults(propertySchema, $"{path}.properties[{name}]", errors);
            }
        }

        if (Keywords.AdditionalProperties(schema) is { } valueSchema)
        {
            Defaults(valueSchema, $"{path}.additionalProperties", errors);
        }
    }
}
