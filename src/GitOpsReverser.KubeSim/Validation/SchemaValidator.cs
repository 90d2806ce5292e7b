using System.Globalization;
using System.Text.Json.Nodes;

namespace GitOpsReverser.KubeSim.Validation;

/// <summary>
/// Validates a value against a CRD's structural schema as kube-openapi's validator does for the API server:
/// type, format, enum, string length and pattern, numeric bounds, item and property counts, required
/// properties and allOf/anyOf/oneOf/not, with kube-openapi's texts (<c>spec.count in body must be of type
/// integer: "string"</c>) turned into field errors as apiextensions turns them. On an update, a value equal to
/// the old value it correlates with (by key in objects and map lists) is not checked again: validation
/// ratcheting, on by default since Kubernetes 1.30.
/// </summary>
internal sealed class SchemaValidator
{
    private readonly string? fieldPrefix;
    private readonly List<FieldError> errors = [];

    private SchemaValidator(string? fieldPrefix) => this.fieldPrefix = fieldPrefix;

    /// <summary>
    /// The errors of <paramref name="value"/>. Error fields start at <paramref name="fieldPrefix"/> (a CRD's
    /// <c>…default</c>) or, for a custom resource, at the object's root.
    /// </summary>
    public static List<FieldError> Validate(JsonObject schema, JsonNode? value, string? fieldPrefix = null, OldValue? old = null)
    {
        var validator = new SchemaValidator(fieldPrefix);
        validator.Walk(schema, value, "", old);
        return validator.errors;
    }

    private void Walk(JsonObject schema, JsonNode? value, string name, OldValue? old)
    {
        if (old is not null && JsonEquality.Equal(value, old.Value))
        {
            return;
        }

        var types = Keywords.Types(schema);
        var format = Keywords.Format(schema);
        if (value is null)
        {
            if (types.Count > 0 && !types.Contains("null") && !Keywords.IsTrue(schema, "nullable"))
            {
                errors.Add(FieldError.TypeInvalid(Field(name), "null", $"{name} in body must be of type {string.Join(',', types)}: \"null\""));
            }

            CheckEnum(schema, value, name);
            return;
        }

        CheckType(types, format, value, name);
        CheckComposition(schema, value, name, old);
        var kind = JsonKind.Of(value).Type;
        switch (kind)
        {
            case "string":
                CheckString(schema, format, value.GetValue<string>(), name);
                break;
            case "integer" or "number":
                CheckNumber(schema, (JsonValue)value, name);
                break;
            case "array":
                CheckArray(schema, (JsonArray)value, name, old);
                break;
        }

        CheckEnum(schema, value, name);
        if (value is JsonObject obj)
        {
            CheckObject(schema, obj, name, old);
        }
    }

    private void CheckType(IReadOnlyList<string> types, string format, JsonNode value, string name)
    {
        if (types.Count == 0)
        {
            return;
        }

        var (kind, dataFormat) = JsonKind.Of(value);
        var stringOrArray = kind is "string" or "array";
        var floatInt = kind == "number" && JsonKind.IsJsonInteger(JsonKind.Number((JsonValue)value)) && types.Contains("integer");
        var intFloat = kind == "integer" && types.Contains("number");
        if (!stringOrArray && format.Length > 0 && !types.Contains(kind) && dataFormat != format && !floatInt && !intFloat)
        {
            errors.Add(FieldError.TypeInvalid(Field(name), dataFormat, $"{name} in body must be of type {format}: {GoFormat.Quote(dataFormat)}"));
            return;
        }

        if (!types.Contains("number") && !types.Contains("integer") && format.Length > 0 && stringOrArray)
        {
            return;
        }

        if (!types.Contains(kind) && !floatInt && !intFloat)
        {
            errors.Add(FieldError.TypeInvalid(Field(name), kind, $"{name} in body must be of type {string.Join(',', types)}: {GoFormat.Quote(kind)}"));
        }
    }

    // allOf, anyOf, oneOf and not: their failures are plain errors, which apiextensions files under the root path.
    private void CheckComposition(JsonObject schema, JsonNode value, string name, OldValue? old)
    {
        foreach (var part in Keywords.Schemas(schema, "allOf"))
        {
            Walk(part, value, name, old);
        }

        var anyOf = Keywords.Schemas(schema, "anyOf").Select(part => Try(part, value, name)).ToList();
        if (anyOf.Count > 0 && !anyOf.Any(result => result.Count == 0))
        {
            errors.Add(FieldError.Invalid(fieldPrefix ?? FieldError.NilPath, "", $"{name} must validate at least one schema (anyOf)"));
            errors.AddRange(anyOf[0]);
        }

        var oneOf = Keywords.Schemas(schema, "oneOf").Select(part => Try(part, value, name)).ToList();
        var valid = oneOf.Count(result => result.Count == 0);
        if (oneOf.Count > 0 && valid != 1)
        {
            errors.Add(FieldError.Invalid(fieldPrefix ?? FieldError.NilPath, "", valid == 0
                ? $"{name} must validate one and only one schema (oneOf)"
                : $"{name} must validate one and only one schema (oneOf). Found {valid} valid alternatives"));
            if (valid == 0)
            {
                errors.AddRange(oneOf[0]);
            }
        }

        if (schema["not"] is JsonObject not && Try(not, value, name).Count == 0)
        {
            errors.Add(FieldError.Invalid(fieldPrefix ?? FieldError.NilPath, "", $"{name} must not validate the schema (not)"));
        }
    }

    private List<FieldError> Try(JsonObject schema, JsonNode value, string name)
    {
        var inner = new SchemaValidator(fieldPrefix);
        inner.Walk(schema, value, name, null);
        return inner.errors;
    }

    // kube-openapi stops at the first of maxLength, minLength and pattern that fails; lengths count characters.
    private void CheckString(JsonObject schema, string format, string text, string name)
    {
        var length = text.EnumerateRunes().Count();
        if (Keywords.Long(schema, "maxLength") is { } max && length > max)
        {
            errors.Add(FieldError.TooLong(Field(name), max));
        }
        else if (Keywords.Long(schema, "minLength") is { } min && length < min)
        {
            errors.Add(FieldError.Invalid(Field(name), text, $"{name} in body should be at least {min} chars long"));
        }
        else if ((string?)schema["pattern"] is { } pattern && !Patterns.IsMatch(pattern, text))
        {
            errors.Add(FieldError.Invalid(Field(name), text, $"{name} in body should match '{pattern}'"));
        }

        if (format.Length > 0 && !StringFormats.IsValid(format, text))
        {
            errors.Add(FieldError.TypeInvalid(Field(name), text, $"{name} in body must be of type {format}: {GoFormat.Quote(text)}"));
        }
    }

    private void CheckNumber(JsonObject schema, JsonValue value, string name)
    {
        var integer = JsonKind.TryInteger(value, out var whole);
        var number = integer ? whole : JsonKind.Number(value);
        object reported = integer ? whole : number;
        string Bound(double bound) => integer && JsonKind.IsJsonInteger(bound) ? ((long)bound).ToString(CultureInfo.InvariantCulture) : GoFormat.Float(bound);
        if (Keywords.Number(schema, "multipleOf") is { } factor && factor != 0 && Math.Abs(Math.IEEERemainder(number, factor)) > 1e-9 * Math.Abs(factor))
        {
            errors.Add(FieldError.Invalid(Field(name), reported, $"{name} in body should be a multiple of {Bound(factor)}"));
        }

        if (Keywords.Number(schema, "maximum") is { } max)
        {
            var exclusive = Keywords.IsTrue(schema, "exclusiveMaximum");
            if (exclusive ? number >= max : number > max)
            {
                errors.Add(FieldError.Invalid(Field(name), reported,
                    $"{name} in body should be less than {(exclusive ? "" : "or equal to ")}{Bound(max)}"));
            }
        }

        if (Keywords.Number(schema, "minimum") is { } min)
        {
            var exclusive = Keywords.IsTrue(schema, "exclusiveMinimum");
            if (exclusive ? number <= min : number < min)
            {
                errors.Add(FieldError.Invalid(Field(name), reported,
                    $"{name} in body should be greater than {(exclusive ? "" : "or equal to ")}{Bound(min)}"));
            }
        }
    }

    private void CheckArray(JsonObject schema, JsonArray array, string name, OldValue? old)
    {
        if (Keywords.Items(schema) is { } items)
        {
            var oldItems = old?.Value as JsonArray;
            var correlate = old is not null && Keywords.ListType(schema) == "map";
            for (var i = 0; i < array.Count; i++)
            {
                var itemOld = correlate && array[i] is JsonObject item && Keywords.MatchingItem(schema, item, oldItems) is { } match ? new OldValue(match) : null;
                Walk(items, array[i], $"{name}[{i}]", itemOld);
            }
        }

        if (Keywords.Long(schema, "minItems") is { } min && array.Count < min)
        {
            errors.Add(FieldError.Invalid(Field(name), (long)array.Count, $"{name} in body should have at least {min} items"));
        }

        if (Keywords.Long(schema, "maxItems") is { } max && array.Count > max)
        {
            errors.Add(FieldError.TooMany(Field(name), array.Count, max));
        }
    }

    private void CheckEnum(JsonObject schema, JsonNode? value, string name)
    {
        if (schema["enum"] is not JsonArray { Count: > 0 } allowed || allowed.Any(candidate => JsonEquality.Equal(candidate, value)))
        {
            return;
        }

        var supported = allowed.Select(candidate => candidate is JsonValue scalar && JsonKind.Of(scalar).Type == "string"
            ? scalar.GetValue<string>()
            : candidate?.ToJsonString() ?? "null");
        errors.Add(FieldError.NotSupported(Field(name), value, supported));
    }

    private void CheckObject(JsonObject schema, JsonObject obj, string name, OldValue? old)
    {
        if (Keywords.Long(schema, "minProperties") is { } min && obj.Count < min)
        {
            errors.Add(FieldError.Invalid(Field(name), (long)obj.Count, $"{name} in body should have at least {min} properties"));
        }

        if (Keywords.Long(schema, "maxProperties") is { } max && obj.Count > max)
        {
            errors.Add(FieldError.TooMany(Field(name), obj.Count, max));
        }

        var properties = Keywords.Properties(schema);
        var oldObject = old?.Value as JsonObject;
        OldValue? OldOf(string key) => oldObject is not null && oldObject.TryGetPropertyValue(key, out var oldValue) ? new OldValue(oldValue) : null;
        if (Keywords.AdditionalProperties(schema) is { } valueSchema)
        {
            foreach (var (key, value) in obj)
            {
                if (properties?.ContainsKey(key) != true)
                {
                    Walk(valueSchema, value, $"{name}.{key}", OldOf(key));
                }
            }
        }

        foreach (var (key, propertySchema) in properties ?? [])
        {
            if (propertySchema is JsonObject childSchema && obj.TryGetPropertyValue(key, out var value))
            {
                Walk(childSchema, value, name.Length == 0 ? key : $"{name}.{key}", OldOf(key));
            }
        }

        foreach (var required in schema["required"] as JsonArray ?? [])
        {
            if ((string?)required is { } key && !obj.ContainsKey(key))
            {
                errors.Add(FieldError.Required(Field($"{name}.{key}")));
            }
        }
    }

    // apiextensions: the error's path is the caller's path plus kube-openapi's name, without its leading dot.
    private string Field(string name)
    {
        var trimmed = name.StartsWith('.') ? name[1..] : name;
        if (fieldPrefix is null)
        {
            return trimmed.Length == 0 ? FieldError.NilPath : trimmed;
        }

        return trimmed.Length == 0 ? fieldPrefix : $"{fieldPrefix}.{trimmed}";
    }
}
