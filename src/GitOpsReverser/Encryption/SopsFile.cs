using System.Text;
using GitOpsReverser.Manifests;
using GitOpsReverser.Sanitizing;

namespace GitOpsReverser.Encryption;

/// <summary>
/// A Secret as committed under <see cref="SecretPolicy.Encrypt"/>: a first comment line naming the keyed
/// fingerprint of its sanitized, fingerprinted form (<c># gitops-reverser content: hmac-sha256:…</c>), then the
/// SOPS-encrypted manifest. Encryption is randomized, so the file is compared by that line and its recipients,
/// never by its bytes: an unchanged Secret keeps its committed file. SOPS and Flux ignore comments.
/// </summary>
internal static class SopsFile
{
    public const string StampPrefix = "# gitops-reverser content: ";

    /// <summary>What a committed file says about itself: its content stamp (null when it has none) and its age recipients.</summary>
    public sealed record Header(string? Stamp, IReadOnlySet<string> Recipients);

    /// <summary>
    /// The file for <paramref name="sanitized"/> (values fingerprinted) with <paramref name="values"/> put back
    /// and encrypted for <paramref name="encryptor"/>'s recipients; <paramref name="sanitized"/> is not changed.
    /// </summary>
    public static byte[] Write(MappingNode sanitized, IReadOnlyList<SecretValue> values, string stamp, SopsEncryptor encryptor, DateTimeOffset now)
    {
        var manifest = (MappingNode)sanitized.DeepClone();
        foreach (var value in values)
        {
            if (manifest.GetMapping(value.Field) is { } field && field[value.Key] is not null)
            {
                field[value.Key] = ScalarNode.String(value.Text);
            }
        }

        encryptor.Encrypt(manifest, now);
        return Encoding.UTF8.GetBytes(StampPrefix + stamp + "\n" + CanonicalYaml.Write(manifest));
    }

    /// <summary>Reads the stamp and recipients of a committed file; a file that is not ours or not SOPS has neither.</summary>
    public static Header Read(byte[] content)
    {
        var text = Encoding.UTF8.GetString(content);
        var firstLine = text.Split('\n', 2)[0];
        var stamp = firstLine.StartsWith(StampPrefix, StringComparison.Ordinal) ? firstLine[StampPrefix.Length..].Trim() : null;
        var recipients = new HashSet<string>(StringComparer.Ordinal);
        var document = ManifestReader.ReadObjects(text).FirstOrDefault();
        foreach (var entry in document?.Manifest?.GetMapping("sops")?.GetSequence("age")?.Items.OfType<MappingNode>() ?? [])
        {
            if (entry.GetString("recipient") is { } recipient)
            {
                recipients.Add(recipient);
            }
        }

        return new Header(stamp, recipients);
    }
}
