namespace GitOpsReverser.Api.Schema;

/// <summary>The custom resource a type is: its kind, plural, short name and scope, in <see cref="V1Alpha1.ApiGroup"/>.</summary>
[AttributeUsage(AttributeTargets.Class)]
public sealed class CustomResourceAttribute(string kind, string plural, string shortName, bool namespaced) : Attribute
{
    public string Kind { get; } = kind;

    public string Plural { get; } = plural;

    public string ShortName { get; } = shortName;

    public bool Namespaced { get; } = namespaced;
}

/// <summary>A column of <c>kubectl get</c> (the CRD's <c>additionalPrinterColumns</c>), in the order declared.</summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true)]
public sealed class PrinterColumnAttribute(int order, string name, string type, string jsonPath) : Attribute
{
    public int Order { get; } = order;

    public string Name { get; } = name;

    public string Type { get; } = type;

    public string JsonPath { get; } = jsonPath;

    /// <summary>1: shown only with <c>-o wide</c>.</summary>
    public int Priority { get; init; }
}

/// <summary>
/// A CEL rule the API server checks (<c>x-kubernetes-validations</c>): on a type, on a property, or with
/// <see cref="OnItems"/> on each item of a list property.
/// </summary>
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Property, AllowMultiple = true)]
public sealed class ValidationRuleAttribute(int order, string rule, string message) : Attribute
{
    public int Order { get; } = order;

    public string Rule { get; } = rule;

    public string Message { get; } = message;

    /// <summary>The field the API server names in its refusal, relative to the rule's object (<c>.window</c>).</summary>
    public string? FieldPath { get; init; }

    public bool OnItems { get; init; }
}

/// <summary><c>x-kubernetes-list-type</c>: <c>set</c> refuses duplicate items.</summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class ListTypeAttribute(string type) : Attribute
{
    public string Type { get; } = type;
}

/// <summary>The OpenAPI <c>format</c> of a value: <c>int64</c>, <c>date-time</c>.</summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class FormatAttribute(string format) : Attribute
{
    public string Format { get; } = format;
}

/// <summary>The longest each string item of a list property may be.</summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class ItemMaxLengthAttribute(int length) : Attribute
{
    public int Length { get; } = length;
}

/// <summary>
/// What the reference says a field defaults to when the default is not a schema default (it is the
/// operator's, or depends on another field). Schema defaults come from <see cref="System.ComponentModel.DefaultValueAttribute"/>.
/// </summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class DocumentedDefaultAttribute(string text) : Attribute
{
    public string Text { get; } = text;
}
