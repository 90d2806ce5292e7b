namespace GitOpsReverser.KubeSim.Validation;

/// <summary>apimachinery's field.Path as text: <c>spec.items[0]</c>, <c>spec.labels[key]</c>; the root is null.</summary>
internal static class FieldPath
{
    public static string Child(string? parent, string name) => parent is null ? name : $"{parent}.{name}";

    public static string Index(string? parent, int index) => $"{parent}[{index}]";

    public static string Key(string? parent, string key) => $"{parent}[{key}]";

    /// <summary>The path as an error's field: <c>&lt;nil&gt;</c> for the root.</summary>
    public static string Field(string? path) => path ?? FieldError.NilPath;
}
