using System.Text.Json.Nodes;

namespace GitOpsReverser.KubeSim.Validation;

/// <summary>
/// A custom resource's validation on write, in the API server's order: the schema (kube-openapi), list-type
/// uniqueness, then the CEL rules, which do not run while the object has a type, enum, required, length or
/// count error. On an update every step ratchets: what did not change since the old object is not checked again.
/// </summary>
internal static class CustomResourceValidation
{
    private static readonly HashSet<string> Blocking = new(StringComparer.Ordinal)
    {
        "FieldValueNotSupported", "FieldValueRequired", "FieldValueTooLong", "FieldValueTooMany", "FieldValueTypeInvalid",
    };

    public static List<FieldError> Validate(JsonObject schema, JsonObject obj, JsonObject? old)
    {
        var oldValue = old is null ? null : new OldValue(old);
        var errors = SchemaValidator.Validate(schema, obj, old: oldValue);
        errors.AddRange(ListTypes.Validate(schema, obj, oldValue));
        if (!CelValidator.HasRules(schema))
        {
            return errors;
        }

        if (errors.Any(error => Blocking.Contains(error.Reason)))
        {
            errors.Add(FieldError.Invalid(FieldError.NilPath, null,
                "some validation rules were not checked because the object was invalid; correct the existing errors to complete validation"));
            return errors;
        }

        errors.AddRange(CelValidator.Validate(schema, obj, oldValue));
        return errors;
    }
}
