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

    /// <summary>Subresources beside <c>status</c>: a ServiceAccount's token, a Pod's log and exec, a workload's scale.</summary>
    public IReadOnlyList<Subresource> Subresources { get; init; } = [];

    /// <summary>A review (SelfSubjectAccessReview, SelfSubjectReview): created, answered, never stored.</summary>
    public bool IsReview { get; init; }

    /// <summary>
    /// True where the API server's registry sets <c>ReturnDeletedObject</c>: a DELETE that removes the object
    /// answers with it rather than a Status (pods, services, serviceaccounts, custom resources, …).
    /// </summary>
    public bool ReturnsDeletedObject { get; init; }

    /// <summary>
    /// True where the registry keeps a status sent on create although status is a subresource: a Node, which the
    /// kubelet registers with its addresses and capacity.
    /// </summary>
    public bool KeepsStatusOnCreate { get; init; }

    /// <summary>What a name must be: a DNS subdomain for most kinds.</summary>
    public NameRule NameRule { get; init; } = NameRule.Subdomain;

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

/// <summary>The name validation a kind's registry applies.</summary>
internal enum NameRule
{
    /// <summary>A lowercase RFC 1123 subdomain of at most 253 characters (most kinds).</summary>
    Subdomain,

    /// <summary>A lowercase RFC 1123 label of at most 63 characters (Namespace).</summary>
    Label,

    /// <summary>An RFC 1035 label, starting with a letter, at most 63 characters (Service).</summary>
    Rfc1035Label,

    /// <summary>Anything usable as a URL path segment: not <c>.</c> or <c>..</c>, no <c>/</c> or <c>%</c> (RBAC kinds).</summary>
    PathSegment,
}
