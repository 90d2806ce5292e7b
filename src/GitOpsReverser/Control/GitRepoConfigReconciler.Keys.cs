using System.Security.Cryptography;
using System.Text;
using GitOpsReverser.Encryption;
using GitOpsReverser.Git.Clone;
using GitOpsReverser.Sanitizing;
using GitOpsReverser.Specs;

namespace GitOpsReverser.Control;

/// <summary>The keys a GitRepoConfig names in Secrets and ConfigMaps: its age recipients and its signing key, read only as its identity may.</summary>
internal sealed partial class GitRepoConfigReconciler
{
    // The spec's recipients and those its recipientsRef holds; Encrypt without any is refused here, not at the first Secret.
    private async Task<List<AgeRecipient>> RecipientsAsync(RepoSpec spec, CancellationToken cancellationToken)
    {
        var recipients = spec.AgeRecipients.ToList();
        if (spec.RecipientsRef is { } reference)
        {
            const string field = "encryption.age.recipientsRef";
            var text = await secrets.ReadKeyAsync(reference.Kind, spec.Id.Namespace!, reference.Name, reference.Key, field, cancellationToken);
            recipients.AddRange(SpecReader.ParseRecipientLines(text, $"{field} ({reference.Kind} {spec.Id.Namespace}/{reference.Name} key {reference.Key})"));
        }

        if (spec.SecretPolicy == SecretPolicy.Encrypt && recipients.Count == 0)
        {
            throw new SpecException("EncryptionNotConfigured",
                "secretPolicy Encrypt needs age recipients in encryption.age.recipients (or encryption.age.recipientsRef); no Secret is written until then");
        }

        return [.. recipients.Distinct()];
    }

    // The key commit.signing names: read only for an identity that may (a tenant's), never logged; a digest notices a new key.
    private async Task<(SshCommitSigner? Signer, string Digest)> SignerAsync(RepoSpec spec, CancellationToken cancellationToken)
    {
        if (spec.SigningSecretName is not { } name)
        {
            return (null, "");
        }

        const string field = "commit.signing.secretRef";
        await access.RequireGetAsync(spec, "secrets", name, field, cancellationToken);
        var key = await secrets.ReadKeyAsync("Secret", spec.Id.Namespace!, name, "ssh-privatekey", field, cancellationToken);
        var signer = SshCommitSigner.TryLoad(key, $"gitops-reverser/{spec.Id.Namespace}/{spec.Id.Name}", out var problem)
            ?? throw new SpecException("InvalidSigningKey", $"{field}: the key ssh-privatekey of Secret {spec.Id.Namespace}/{name} {problem}");
        return (signer, Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(key))));
    }
}
