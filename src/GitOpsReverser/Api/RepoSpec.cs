namespace GitOpsReverser.Api;

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
}
