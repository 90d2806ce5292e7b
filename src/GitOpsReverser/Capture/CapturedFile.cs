using System.Text;
using GitOpsReverser.Encryption;
using GitOpsReverser.Manifests;
using GitOpsReverser.Sanitizing;

namespace GitOpsReverser.Capture;

/// <summary>
/// What is committed for one object. <see cref="Sanitized"/> is the sanitized YAML, compared for changes; for a
/// Secret under <see cref="SecretPolicy.Encrypt"/> the file is the SOPS file made from it only when it is
/// written (<see cref="Content"/>), and compared with the branch by its <see cref="Stamp"/> and recipients.
/// </summary>
internal sealed class CapturedFile
{
    private readonly MappingNode? manifest;
    private readonly IReadOnlyList<SecretValue>? values;
    private readonly TimeProvider? time;

    private CapturedFile(byte[] sanitized, string? stamp, SopsEncryptor? encryptor, MappingNode? manifest, IReadOnlyList<SecretValue>? values,
        TimeProvider? time)
    {
        Sanitized = sanitized;
        Stamp = stamp;
        Encryptor = encryptor;
        this.manifest = manifest;
        this.values = values;
        this.time = time;
    }

    public byte[] Sanitized { get; }

    /// <summary>The fingerprint an encrypted file's first line carries; null for a plain file.</summary>
    public string? Stamp { get; }

    public SopsEncryptor? Encryptor { get; }

    public bool IsEncrypted => Stamp is not null;

    /// <summary>
    /// The file for a sanitized object: its canonical YAML, or for a Secret sanitized under
    /// <see cref="SecretPolicy.Encrypt"/> a SOPS file for <paramref name="encryptor"/>'s recipients, stamped with the
    /// keyed fingerprint of its fingerprinted YAML. Null when such a Secret has no encryptor: nothing may be written.
    /// </summary>
    public static CapturedFile? Of(SanitizeResult result, Sanitizer sanitizer, SopsEncryptor? encryptor, TimeProvider time)
    {
        var yaml = Encoding.UTF8.GetBytes(CanonicalYaml.Write(result.Manifest!));
        return result.SecretValues is not { } values
            ? new CapturedFile(yaml, null, null, null, null, null)
            : encryptor is null
                ? null
                : new CapturedFile(yaml, sanitizer.FingerprintOf(yaml), encryptor, result.Manifest, values, time);
    }

    /// <summary>The file's bytes: the sanitized YAML, or a new encryption of the Secret.</summary>
    public byte[] Content() =>
        Stamp is null ? Sanitized : SopsFile.Write(manifest!, values!, Stamp, Encryptor!, time!.GetUtcNow());

    /// <summary>True when the committed file described by <paramref name="header"/> holds this content for these recipients.</summary>
    public bool Matches(SopsFile.Header header) =>
        header.Stamp == Stamp && header.Recipients.SetEquals(Encryptor!.Recipients.Select(recipient => recipient.Text));
}
