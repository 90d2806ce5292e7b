using GitOpsReverser.Manifests;

namespace GitOpsReverser.Sanitizing;

/// <summary>The sanitized object, or why it is not written at all (<see cref="SkipReason"/>).</summary>
internal sealed record SanitizeResult(ObjectIdentity Identity, MappingNode? Manifest, string? SkipReason)
{
    public bool IsSkipped => Manifest is null;
}
