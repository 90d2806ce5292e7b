namespace GitOpsReverser.Sanitizing;

/// <summary>What is written to Git for the values of a Secret (or another kind configured as sensitive).</summary>
internal enum SecretPolicy
{
    /// <summary>Each value becomes <c>hmac-sha256:&lt;16 hex&gt;</c>, keyed per installation: a rotation shows, the value does not.</summary>
    Fingerprint,

    /// <summary>Keys are kept; every value becomes <c>&lt;redacted&gt;</c>.</summary>
    Redact,

    /// <summary>The object is not written at all.</summary>
    Skip,

    /// <summary>
    /// Values are encrypted for the repository's age recipients as a SOPS file, which Flux and <c>sops -d</c>
    /// read back; only the repository's capture can write it, since it alone knows the recipients.
    /// </summary>
    Encrypt,
}
