using GitOpsReverser.Encryption;
using GitOpsReverser.Sanitizing;

namespace GitOpsReverser.Specs;

/// <summary>A GitRepoConfig's spec, checked.</summary>
internal sealed record RepoSpec(
    ResourceKey Id,
    long Generation,
    string Url,
    string Branch,
    string? SecretName,
    string BaseFolder,
    string? CommitterName,
    string? CommitterEmail,
    string? MessageTemplate,
    TimeSpan CommitWindow,
    TimeSpan? PushInterval,
    int? PushMaxCommits)
{
    /// <summary><c>commit.userEmailDomain</c>: the author e-mail domain for users whose name is not an address.</summary>
    public string? UserEmailDomain { get; init; }

    /// <summary><c>secretPolicy</c>: what rules without their own policy write for Secret values; null: the operator's setting.</summary>
    public SecretPolicy? SecretPolicy { get; init; }

    /// <summary><c>ignoreFields</c>: what rules that set none leave out of every object.</summary>
    public IReadOnlyList<IgnoredFields> IgnoreFields { get; init; } = Array.Empty<IgnoredFields>();

    /// <summary><c>encryption.age.recipients</c>: the age public keys Secrets are encrypted for.</summary>
    public IReadOnlyList<AgeRecipient> AgeRecipients { get; init; } = Array.Empty<AgeRecipient>();

    /// <summary><c>encryption.age.recipientsRef</c>: a ConfigMap or Secret key in the GitRepoConfig's namespace holding more recipients, one per line.</summary>
    public RecipientsReference? RecipientsRef { get; init; }

    /// <summary>
    /// <c>serviceAccountName</c>: the service account of the GitRepoConfig's namespace the operator acts for when the
    /// GitRepoConfig is a tenant's (outside the operator's namespace); null: the operator's default account.
    /// </summary>
    public string? ServiceAccountName { get; init; }

    /// <summary><c>notifications</c>: who is told of pushed commits, and how; null: nobody.</summary>
    public Notifications.NotificationSettings? Notifications { get; init; }

    /// <summary><c>commit.signing.secretRef.name</c>: a Secret of this namespace whose <c>ssh-privatekey</c> signs every commit; null: unsigned.</summary>
    public string? SigningSecretName { get; init; }
}

/// <summary>Where more age recipients are kept: <paramref name="Kind"/> is ConfigMap or Secret.</summary>
internal sealed record RecipientsReference(string Kind, string Name, string Key);
