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

    public static CapturedFile Plain(byte[] sanitized) => new(sanitized, null, null, null, null, null);

    /// <summary>A Secret to encrypt: <paramref name="stamp"/> fingerprints <paramref name="sanitized"/> with its recipients.</summary>
    public static CapturedFile Encrypted(byte[] sanitized, string stamp, SopsEncryptor encryptor, MappingNode manifest, IReadOnlyList<SecretValue> values,
        TimeProvider time) => new(sanitized, stamp, encryptor, manifest, values, time);

    /// <summary>The file's bytes: the sanitized YAML, or a new encryption of the Secret.</summary>
    public byte[] Content() =>
        Stamp is null ? Sanitized : SopsFile.Write(manifest!, values!, Stamp, Encryptor!, time!.GetUtcNow());

    /// <summary>True when the committed file described by <paramref name="header"/> holds this content for these recipients.</summary>
    public bool Matches(SopsFile.Header header) =>
        header.Stamp == Stamp && header.Recipients.SetEquals(Encryptor!.Recipients.Select(recipient => recipient.Text));
}
