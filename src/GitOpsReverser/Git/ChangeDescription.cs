using GitOpsReverser.Manifests;

namespace GitOpsReverser.Git;

/// <summary>What a commit records about one change: the facts its message is written from.</summary>
internal sealed record ChangeDescription(
    ChangeOperation Operation,
    ObjectIdentity Object,
    string? User,
    DateTimeOffset Timestamp,
    string? ResourceVersion);
