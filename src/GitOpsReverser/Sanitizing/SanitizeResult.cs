using GitOpsReverser.Manifests;

namespace GitOpsReverser.Sanitizing;

/// <summary>The sanitized object, or why it is not written at all (<see cref="SkipReason"/>).</summary>
internal sealed record SanitizeResult(ObjectIdentity Identity, MappingNode? Manifest, string? SkipReason)
{
    /// <summary>
    /// Under <see cref="SecretPolicy.Encrypt"/>, the values that <see cref="Manifest"/> holds fingerprinted, for
    /// encryption; null under every other policy.
    /// </summary>
    public IReadOnlyList<SecretValue>? SecretValues { get; init; }

    public bool IsSkipped => Manifest is null;
}
