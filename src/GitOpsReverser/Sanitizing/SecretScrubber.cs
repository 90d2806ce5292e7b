using System.Text;
using GitOpsReverser.Manifests;

namespace GitOpsReverser.Sanitizing;

/// <summary>
/// Replaces every value of a sensitive object's <c>data</c> and <c>stringData</c> by a fingerprint or
/// <c>&lt;redacted&gt;</c>, then scrubs any label or annotation that still carries secret material: one that
/// contains a value (raw or base64), or an annotation too long to be anything but a blob.
/// Anything unexpected (a non-map <c>data</c>, a nested value) is redacted too: this code fails closed.
/// Under <see cref="SecretPolicy.Encrypt"/> values are fingerprinted as under <see cref="SecretPolicy.Fingerprint"/>
/// (that is the form compared for changes) and the original values are handed back for encryption.
/// </summary>
internal static class SecretScrubber
{
    public const string Redacted = "<redacted>";

    /// <summary>No meaningful annotation on a Secret is longer; a longer one may be an encoded copy of the data.</summary>
    public const int MaxAnnotationLength = 256;

    // Shorter values are too common to search for ("true", "1"): they would scrub unrelated metadata.
    private const int MinMaterialLength = 4;
    private const int MinLineLength = 16;

    public static void Apply(MappingNode manifest, SecretPolicy policy, SecretFingerprint fingerprint, List<SecretValue>? values = null)
    {
        var material = new List<string>();
        foreach (var field in (ReadOnlySpan<string>)["data", "stringData"])
        {
            switch (manifest[field])
            {
                case null:
                    break;
                case MappingNode mapping:
                    ScrubValues(field, mapping, policy, fingerprint, material, values);
                    break;
                default:
                    manifest[field] = ScalarNode.String(Redacted);
                    break;
            }
        }

        if (manifest.GetMapping("metadata") is { } metadata)
        {
            ScrubMetadata(metadata.GetMapping("labels"), maxLength: int.MaxValue, material, policy, fingerprint);
            ScrubMetadata(metadata.GetMapping("annotations"), MaxAnnotationLength, material, policy, fingerprint);
        }
    }

    private static void ScrubValues(string field, MappingNode values, SecretPolicy policy, SecretFingerprint fingerprint, List<string> material,
        List<SecretValue>? originals)
    {
        var base64Encoded = field == "data";
        foreach (var (key, value) in values.Entries.ToArray())
        {
            if (value is not ScalarNode { Kind: not ScalarKind.Null } scalar)
            {
                values[key] = ScalarNode.String(Redacted);
                continue;
            }

            if (policy == SecretPolicy.Encrypt)
            {
                originals?.Add(new SecretValue(field, key, scalar.Text));
            }

            // Our own output read back (a file from the repository): a fingerprint holds no secret, and
            // fingerprinting it again would make sanitizing not idempotent. The API server never returns one: it
            // is not base64, so not a valid data value, and stringData is never returned.
            if (policy == SecretPolicy.Fingerprint && SecretFingerprint.IsFingerprint(scalar.Text))
            {
                continue;
            }

            var bytes = base64Encoded && TryDecodeBase64(scalar.Text, out var decoded) ? decoded : Encoding.UTF8.GetBytes(scalar.Text);
            Remember(material, scalar.Text);
            Remember(material, Encoding.UTF8.GetString(bytes));
            Remember(material, Convert.ToBase64String(bytes));
            values[key] = ScalarNode.String(Replacement(bytes, policy, fingerprint));
        }
    }

    private static void ScrubMetadata(MappingNode? strings, int maxLength, List<string> material, SecretPolicy policy, SecretFingerprint fingerprint)
    {
        if (strings is null)
        {
            return;
        }

        foreach (var (key, value) in strings.Entries.ToArray())
        {
            var text = value is ScalarNode scalar ? scalar.Text : null;
            if (text is null || text.Length > maxLength || material.Exists(secret => text.Contains(secret, StringComparison.Ordinal)))
            {
                strings[key] = ScalarNode.String(Replacement(Encoding.UTF8.GetBytes(text ?? string.Empty), policy, fingerprint));
            }
        }
    }

    private static string Replacement(byte[] value, SecretPolicy policy, SecretFingerprint fingerprint) =>
        policy is SecretPolicy.Fingerprint or SecretPolicy.Encrypt ? fingerprint.Of(value) : Redacted;

    private static void Remember(List<string> material, string secret)
    {
        if (secret.Length >= MinMaterialLength)
        {
            material.Add(secret);
        }

        // A multi-line secret (a PEM key) could leak one line at a time.
        if (secret.Contains('\n', StringComparison.Ordinal))
        {
            material.AddRange(secret.Split('\n').Select(line => line.Trim()).Where(line => line.Length >= MinLineLength));
        }
    }

    private static bool TryDecodeBase64(string text, out byte[] decoded)
    {
        decoded = new byte[(text.Length * 3 / 4) + 3];
        if (Convert.TryFromBase64String(text, decoded, out var written))
        {
            decoded = decoded[..written];
            return true;
        }

        decoded = [];
        return false;
    }
}
