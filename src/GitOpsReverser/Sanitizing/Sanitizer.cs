using System.Security.Cryptography;
using GitOpsReverser.Manifests;
using Microsoft.Extensions.Options;

namespace GitOpsReverser.Sanitizing;

/// <summary>
/// Turns an object as the API server returns it into what is committed: status, server-owned metadata and
/// server-assigned fields removed, defaults removed (<see cref="FieldRuleTable"/>), Secret values replaced.
/// </summary>
internal sealed class Sanitizer
{
    private readonly SanitizerOptions options;
    private readonly SecretFingerprint fingerprint;
    private readonly HashSet<(string Group, string Kind)> sensitiveKinds;
    private readonly CompiledFieldRules rules = CompiledFieldRules.Default;

    public Sanitizer(IOptions<SanitizerOptions> options)
    {
        this.options = options.Value;
        var key = this.options.FingerprintKey is { } configured ? SanitizerOptions.DecodeFingerprintKey(configured) : null;
        HasEphemeralFingerprintKey = key is null;
        fingerprint = new SecretFingerprint(key ?? RandomNumberGenerator.GetBytes(32));
        sensitiveKinds = [(string.Empty, "Secret"), .. this.options.SensitiveKinds.Select(ParseKind)];
    }

    /// <summary>True when no fingerprint key was configured, so fingerprints differ between runs.</summary>
    public bool HasEphemeralFingerprintKey { get; }

    /// <summary>
    /// Sanitizes <paramref name="manifest"/> in place. <paramref name="secretPolicy"/> overrides the configured
    /// policy (a rule's own choice); <paramref name="appliedRules"/> receives the ids of the field rules that fired.
    /// </summary>
    public SanitizeResult Sanitize(MappingNode manifest, SecretPolicy? secretPolicy = null, ICollection<string>? appliedRules = null)
    {
        if (!ObjectIdentity.TryRead(manifest, out var identity, out var error))
        {
            throw new ManifestFormatException($"not a Kubernetes object: {error}");
        }

        var sensitive = IsSensitive(identity);
        var policy = secretPolicy ?? options.SecretPolicy;
        if (sensitive && policy == SecretPolicy.Skip)
        {
            return new SanitizeResult(identity, null, "the secret policy is skip");
        }

        manifest.Remove("status");
        MetadataFilter.Apply(manifest);
        rules.Apply(manifest, identity, options.RemoveDefaults, appliedRules);
        MaskOwnCredentials(manifest, identity);
        if (!sensitive)
        {
            return new SanitizeResult(identity, manifest, null);
        }

        var values = policy == SecretPolicy.Encrypt ? new List<SecretValue>() : null;
        SecretScrubber.Apply(manifest, policy, fingerprint, values);
        return new SanitizeResult(identity, manifest, null) { SecretValues = values };
    }

    // The operator's own GitRepoConfigs, when a rule captures them: a URL that (against the rules) carries a
    // credential is written masked, as status and logs show it.
    private static void MaskOwnCredentials(MappingNode manifest, ObjectIdentity identity)
    {
        if (identity is { Group: "configbutler.ai", Kind: "GitRepoConfig" }
            && manifest.GetMapping("spec") is { } spec && spec["url"] is ScalarNode { Kind: ScalarKind.String } url)
        {
            spec["url"] = ScalarNode.String(Git.Transport.RemoteUrl.Redact(url.Text));
        }
    }

    /// <summary>The keyed fingerprint of <paramref name="content"/>, as Secret values get (<c>hmac-sha256:…</c>).</summary>
    public string FingerprintOf(ReadOnlySpan<byte> content) => fingerprint.Of(content);

    /// <summary>True for Secrets and the kinds configured in <see cref="SanitizerOptions.SensitiveKinds"/>.</summary>
    public bool IsSensitive(ObjectIdentity identity) => sensitiveKinds.Contains((identity.Group, identity.Kind));

    private static (string Group, string Kind) ParseKind(string kind) =>
        kind.IndexOf('.', StringComparison.Ordinal) is var dot and >= 0 ? (kind[(dot + 1)..], kind[..dot]) : (string.Empty, kind);
}
