using System.Runtime.CompilerServices;
using System.Text.Json.Nodes;

namespace GitOpsReverser.KubeSim.Validation;

/// <summary>
/// Runs every <c>x-kubernetes-validations</c> rule of a structural schema against a value, as apiextensions'
/// CEL validator does: a node's rules before its children's, null values skipped, transition rules (those
/// using <c>oldSelf</c>) only where an old value correlates, and rules of a value unchanged since the old
/// object not run again (ratcheting). A failed rule reports its message, its messageExpression's result or
/// <c>failed rule: …</c> at the node's path (or its fieldPath) with the schema type as the value.
/// </summary>
internal static class CelValidator
{
    private static readonly ConditionalWeakTable<JsonObject, StrongBox<bool>> RulesFound = [];

    /// <summary>The rules' errors, at paths under <paramref name="path"/> (null: the object's root).</summary>
    public static List<FieldError> Validate(JsonObject schema, JsonNode? value, OldValue? old = null, string? path = null, bool root = true)
    {
        var errors = new List<FieldError>();
        Walk(schema, value, path, old, root, errors);
        return errors;
    }

    /// <summary>True when a schema has any rule, so that validation can skip the walk (worked out once per schema).</summary>
    public static bool HasRules(JsonObject schema) =>
        RulesFound.GetValue(schema, static node => new StrongBox<bool>(node.ToJsonString().Contains("\"x-kubernetes-validations\"", StringComparison.Ordinal))).Value;

    private static void Walk(JsonObject schema, JsonNode? value, string? path, OldValue? old, bool root, List<FieldError> errors)
    {
        if (value is null)
        {
            return;
        }

        if (schema["x-kubernetes-validations"] is JsonArray { Count: > 0 } rules)
        {
            var unchanged = old is not null && JsonEquality.Equal(value, old.Value);
            var self = CelValues.From(value, schema, root);
            var oldSelf = old is null ? null : CelValues.From(old.Value, schema, root);
            foreach (var rule in rules.OfType<JsonObject>())
            {
                Check(rule, schema, path, self, old is not null, oldSelf, unchanged, errors);
            }
        }

        foreach (var (childSchema, child, childPath, childOld) in SchemaChildren.Of(schema, value, path, old))
        {
            Walk(childSchema, child, childPath, childOld, false, errors);
        }
    }

    private static void Check(
        JsonObject rule, JsonObject schema, string? path, object? self, bool hasOld, object? oldSelf, bool unchanged, List<FieldError> errors)
    {
        var compiled = CelRules.Compile((string?)rule["rule"] ?? "");
        if (compiled.Program is null || (compiled.UsesOldSelf ? !hasOld : unchanged))
        {
            return;
        }

        var text = compiled.Rule.Trim();
        var message = ((string?)rule["message"])?.Trim() ?? "";
        var ruleText = message.Length > 0 ? message : text;
        var type = Keywords.Type(schema);
        var (passed, error) = CelRules.Evaluate(compiled, self, hasOld, oldSelf);
        if (error == "no such overload")
        {
            errors.Add(FieldError.Invalid(FieldPath.Field(path), type,
                $"'no such overload': call arguments did not match a supported operator, function or macro signature for rule: {ruleText}"));
            return;
        }

        if (error is not null)
        {
            errors.Add(FieldError.Invalid(FieldPath.Field(path), type, $"{error} evaluating rule: {ruleText}"));
            return;
        }

        if (passed)
        {
            return;
        }

        var detail = message.Length > 0 ? message : $"failed rule: {text}";
        if ((string?)rule["messageExpression"] is { Length: > 0 } expression
            && CelRules.Compile(expression) is { Program: not null } compiledExpression
            && CelRules.Message(compiledExpression, self, hasOld, oldSelf) is { } evaluated)
        {
            detail = evaluated;
        }

        var field = (string?)rule["fieldPath"] is { Length: > 0 } fieldPath ? FieldPath.Child(path, Normalize(fieldPath)) : FieldPath.Field(path);
        errors.Add((string?)rule["reason"] switch
        {
            "FieldValueForbidden" => FieldError.Forbidden(field, detail),
            "FieldValueRequired" => FieldError.Required(field, detail),
            "FieldValueDuplicate" => FieldError.Duplicate(field, type),
            _ => FieldError.Invalid(field, type, detail),
        });
    }

    // ".spec.x['y.z']" becomes "spec.x[y.z]", as the API server prints a rule's fieldPath.
    private static string Normalize(string fieldPath) =>
        fieldPath.TrimStart('.').Replace("['", "[", StringComparison.Ordinal).Replace("']", "]", StringComparison.Ordinal);
}
