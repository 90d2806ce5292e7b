using System.ComponentModel.DataAnnotations;
using System.Text.Json;
using System.Text.Json.Serialization;
using GitOpsReverser.Api.Schema;

namespace GitOpsReverser.Api.V1Alpha1;

/// <summary>The API group and version of the operator's custom resources.</summary>
public static class ApiGroup
{
    public const string Group = "configbutler.ai";

    public const string Version = "v1alpha1";

    public const string ApiVersion = Group + "/" + Version;

    /// <summary>The printer-column path of the Ready condition's status, which every kind shows.</summary>
    public const string ReadyStatusPath = ".status.conditions[?(@.type==\"Ready\")].status";

    /// <summary>The printer-column path of the Ready condition's reason.</summary>
    public const string ReadyReasonPath = ".status.conditions[?(@.type==\"Ready\")].reason";

    /// <summary>
    /// How the custom resources are read and written: camelCase names, enums by name (exactly as the schema
    /// lists them), absent fields left out.
    /// </summary>
    public static JsonSerializerOptions JsonOptions { get; } = new(JsonSerializerDefaults.General)
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Converters = { new JsonStringEnumConverter(allowIntegerValues: false) },
        RespectNullableAnnotations = false,
        TypeInfoResolver = new System.Text.Json.Serialization.Metadata.DefaultJsonTypeInfoResolver(),
    };
}

/// <summary>A custom resource: <c>apiVersion</c>, <c>kind</c>, <c>metadata</c>, <c>spec</c> and <c>status</c>.</summary>
public abstract class CustomResource<TSpec, TStatus>
    where TSpec : class
    where TStatus : class
{
    public string? ApiVersion { get; set; }

    public string? Kind { get; set; }

    public ObjectMeta Metadata { get; set; } = new();

    public TSpec? Spec { get; set; }

    public TStatus? Status { get; set; }
}

/// <summary>The parts of <c>metadata</c> the operator reads; the API server keeps the rest.</summary>
public sealed class ObjectMeta
{
    public string? Name { get; set; }

    public string? Namespace { get; set; }

    public long Generation { get; set; }
}

/// <summary>What every kind's status reports: the generation it describes and its conditions.</summary>
public interface IReportedStatus
{
    long? ObservedGeneration { get; set; }

    List<Condition>? Conditions { get; set; }
}

/// <summary>A <c>metav1.Condition</c>, with the API server's constraints on each field.</summary>
public sealed class Condition
{
    [Required]
    [MaxLength(316)]
    [RegularExpression(@"^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*/)?(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])$")]
    public string? Type { get; set; }

    [Required]
    public ConditionStatus? Status { get; set; }

    [MaxLength(1024)]
    [RegularExpression("^[A-Za-z]([A-Za-z0-9_,:]*[A-Za-z0-9_])?$")]
    public string? Reason { get; set; }

    [MaxLength(32768)]
    public string? Message { get; set; }

    [Format("date-time")]
    public string? LastTransitionTime { get; set; }

    [Format("int64")]
    [Range(0, long.MaxValue)]
    public long? ObservedGeneration { get; set; }
}

public enum ConditionStatus
{
    True,
    False,
    Unknown,
}

/// <summary>Patterns the API server's own names follow.</summary>
public static class NamePatterns
{
    /// <summary>A DNS subdomain (RFC 1123): the names of most objects.</summary>
    public const string Subdomain = @"^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$";

    /// <summary>A DNS label (RFC 1123): the names of namespaces.</summary>
    public const string Label = "^[a-z0-9]([-a-z0-9]*[a-z0-9])?$";

    /// <summary>A Go duration of the units the operator reads: <c>500ms</c>, <c>10s</c>, <c>1m30s</c>.</summary>
    public const string Duration = "^([0-9]+(\\.[0-9]+)?(ms|s|m|h))+$";
}

/// <summary>A reference to an object of the same namespace by name.</summary>
public sealed class LocalObjectReference
{
    [Required]
    [MinLength(1)]
    [MaxLength(253)]
    [RegularExpression(NamePatterns.Subdomain)]
    public string? Name { get; set; }
}
