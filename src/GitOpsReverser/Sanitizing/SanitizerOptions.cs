using System.ComponentModel.DataAnnotations;
using System.Text.RegularExpressions;

namespace GitOpsReverser.Sanitizing;

/// <summary>How objects are cleaned before they are written to Git (configuration section <c>Sanitizer</c>).</summary>
internal sealed partial class SanitizerOptions : IValidatableObject
{
    public const string Section = "Sanitizer";

    /// <summary>What is written for Secret values unless a rule says otherwise. Default: <see cref="Sanitizing.SecretPolicy.Fingerprint"/>.</summary>
    public SecretPolicy SecretPolicy { get; set; } = SecretPolicy.Fingerprint;

    /// <summary>Remove fields whose value is the API server's default (<see cref="FieldRuleTable"/>). Default: true.</summary>
    public bool RemoveDefaults { get; set; } = true;

    /// <summary>
    /// Kinds treated like Secrets in addition to <c>Secret</c>, which always is: <c>Kind</c> for the core group,
    /// else <c>Kind.group</c> (for example <c>Credential.vault.example.com</c>). Default: none.
    /// </summary>
    public List<string> SensitiveKinds { get; set; } = [];

    /// <summary>
    /// The per-installation fingerprint key, base64, at least 16 bytes. Default: none, in which case a random key
    /// is used and fingerprints change with every start.
    /// </summary>
    public string? FingerprintKey { get; set; }

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        foreach (var kind in SensitiveKinds.Where(kind => !SensitiveKindPattern().IsMatch(kind)))
        {
            yield return new ValidationResult(
                $"Sanitizer:SensitiveKinds entry \"{kind}\" is not Kind or Kind.group (for example Credential.vault.example.com).",
                [nameof(SensitiveKinds)]);
        }

        if (SecretPolicy == SecretPolicy.Encrypt)
        {
            yield return new ValidationResult(
                "Sanitizer:SecretPolicy cannot be Encrypt: age recipients belong to a repository, so set secretPolicy: Encrypt and " +
                "encryption.age.recipients in a GitRepoConfig (or secretPolicy on a rule).",
                [nameof(SecretPolicy)]);
        }

        if (FingerprintKey is not null && DecodeFingerprintKey(FingerprintKey) is null)
        {
            yield return new ValidationResult(
                "Sanitizer:FingerprintKey must be base64 of at least 16 bytes (for example: head -c 32 /dev/urandom | base64).",
                [nameof(FingerprintKey)]);
        }
    }

    public static byte[]? DecodeFingerprintKey(string base64)
    {
        try
        {
            var key = Convert.FromBase64String(base64.Trim());
            return key.Length >= 16 ? key : null;
        }
        catch (FormatException)
        {
            return null;
        }
    }

    [GeneratedRegex(@"^[A-Za-z][A-Za-z0-9]*(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$", RegexOptions.CultureInvariant)]
    private static partial Regex SensitiveKindPattern();
}
