using GitOpsReverser.Manifests;

namespace GitOpsReverser.Git;

/// <summary>
/// What a commit records about one change: the facts its message is written from. <see cref="Manager"/>
/// is the last field manager of the object (a program, such as <c>kubectl-edit</c>); <see cref="User"/> and
/// <see cref="Groups"/> are who made the change, known only when the attribution webhook saw it.
/// </summary>
internal sealed record ChangeDescription(
    ChangeOperation Operation,
    ObjectIdentity Object,
    string? Manager,
    DateTimeOffset Timestamp,
    string? ResourceVersion)
{
    /// <summary>The Kubernetes username of whoever made the change, verbatim; null when not known.</summary>
    public string? User { get; init; }

    /// <summary>That user's groups, when known.</summary>
    public IReadOnlyList<string> Groups { get; init; } = [];

    /// <summary>Why a resync rewrites a file whose object did not change (a re-encryption); null otherwise.</summary>
    public string? Note { get; init; }
}
