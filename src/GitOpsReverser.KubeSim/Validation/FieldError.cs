namespace GitOpsReverser.KubeSim.Validation;

/// <summary>
/// One field error as apimachinery's <c>field.Error</c> reports it: the field path, the cause's reason
/// (<c>FieldValueInvalid</c>, …) and the message body (<c>Invalid value: "x": detail</c>), built by the same
/// constructors (<c>field.Invalid</c>, <c>field.Required</c>, …) so that the texts match a real API server's.
/// </summary>
internal sealed record FieldError(string Field, string Reason, string Message)
{
    /// <summary>How apimachinery prints a nil path.</summary>
    public const string NilPath = "<nil>";

    public static FieldError Invalid(string field, object? value, string detail) =>
        new(field, "FieldValueInvalid", Body("Invalid value", value, detail));

    public static FieldError TypeInvalid(string field, object? value, string detail) =>
        new(field, "FieldValueTypeInvalid", Body("Invalid value", value, detail));

    public static FieldError NotSupported(string field, object? value, IEnumerable<string> supported)
    {
        var quoted = supported.Select(GoFormat.Quote).ToList();
        return new(field, "FieldValueNotSupported", Body("Unsupported value", value, quoted.Count > 0 ? "supported values: " + string.Join(", ", quoted) : ""));
    }

    public static FieldError Required(string field, string detail = "") =>
        new(field, "FieldValueRequired", detail.Length > 0 ? $"Required value: {detail}" : "Required value");

    public static FieldError Forbidden(string field, string detail) =>
        new(field, "FieldValueForbidden", detail.Length > 0 ? $"Forbidden: {detail}" : "Forbidden");

    public static FieldError Duplicate(string field, object? value) =>
        new(field, "FieldValueDuplicate", Body("Duplicate value", value, ""));

    /// <summary><c>field.TooLong</c>: the value is left out, the limit is in bytes as the message says (CRDs count characters).</summary>
    public static FieldError TooLong(string field, long max) =>
        new(field, "FieldValueTooLong", max >= 0 ? $"Too long: may not be more than {max} {(max == 1 ? "byte" : "bytes")}" : "Too long: value is too long");

    public static FieldError TooMany(string field, long actual, long max) =>
        new(field, "FieldValueTooMany", Body("Too many", actual, max >= 0 ? $"must have at most {max} {(max == 1 ? "item" : "items")}" : "has too many items"));

    /// <summary><c>field.Error.Error()</c>: the field, then the body.</summary>
    public override string ToString() => $"{Field}: {Message}";

    private static string Body(string type, object? value, string detail)
    {
        var text = $"{type}: {GoFormat.Value(value)}";
        return detail.Length > 0 ? $"{text}: {detail}" : text;
    }
}
