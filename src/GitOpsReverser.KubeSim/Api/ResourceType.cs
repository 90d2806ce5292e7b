using System.Text.Json.Nodes;

namespace GitOpsReverser.KubeSim.Api;

/// <summary>
/// One served resource: what discovery announces and what the store needs to know about it.
/// Versions of one group/resource share one storage bucket, as they do in a real API server.
/// </summary>
internal sealed record ResourceType(
    string Group,
    string Version,
    string Plural,
    string Singular,
    string Kind,
    bool Namespaced,
    IReadOnlyList<string> ShortNames,
    bool HasStatus,
    bool TracksGeneration,
    bool IsCustom,
    IReadOnlyList<string> Categories)
{
    public static readonly IReadOnlyList<string> AllVerbs =
        ["create", "delete", "deletecollection", "get", "list", "patch", "update", "watch"];

    /// <summary>The verbs discovery announces. Default: every verb.</summary>
    public IReadOnlyList<string> Verbs { get; init; } = AllVerbs;

    /// <summary>Subresources that only take <c>create</c> (a ServiceAccount's <c>token</c>).</summary>
    public IReadOnlyList<CreateSubresource> CreateSubresources { get; init; } = [];

    /// <summary>A review (SelfSubjectAccessReview, SelfSubjectReview): created, answered, never stored.</summary>
    public bool IsReview { get; init; }

    /// <summary>Top-level fields a built-in kind knows besides apiVersion, kind and metadata (null for custom resources).</summary>
    public IReadOnlySet<string>? KnownFields { get; init; }

    /// <summary>The CRD version's <c>additionalPrinterColumns</c> (custom resources only; null when it declares none).</summary>
    public IReadOnlyList<PrinterColumn>? PrinterColumns { get; init; }

    /// <summary>The CRD's openAPIV3Schema for this version (custom resources only).</summary>
    public JsonObject? Schema { get; init; }

    public string GroupVersion => Group.Length == 0 ? Version : $"{Group}/{Version}";

    /// <summary>The storage key: <c>configmaps</c>, <c>deployments.apps</c>.</summary>
    public string GroupResource => Group.Length == 0 ? Plural : $"{Plural}.{Group}";

    /// <summary>How error messages name the resource: <c>configmaps</c>, <c>deployments.apps</c>.</summary>
    public string QualifiedResource => GroupResource;

    public string ListKind => Kind + "List";
}
