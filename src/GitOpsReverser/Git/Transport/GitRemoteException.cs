namespace GitOpsReverser.Git.Transport;

/// <summary>A remote operation failed: what kind of failure, at which URL, and what to check.</summary>
internal sealed class GitRemoteException(GitFailureKind kind, string operation, string url, string detail, Exception? inner = null)
    : Exception($"git {operation} {RemoteUrl.Redact(url)} failed ({kind}): {detail}{Advice(kind)}", inner)
{
    public GitFailureKind Kind { get; } = kind;

    public string Operation { get; } = operation;

    public string Url { get; } = RemoteUrl.Redact(url);

    private static string Advice(GitFailureKind kind) => kind switch
    {
        GitFailureKind.Authentication => "; check the username and password or token in the GitRepoConfig's Secret",
        GitFailureKind.Trust => "; check caFile (HTTPS) or known_hosts (SSH) in the GitRepoConfig's Secret",
        GitFailureKind.Rejected => "; the server refused the push: check its hooks and branch protection",
        GitFailureKind.Configuration => "; check the URL and that the repository exists",
        _ => "",
    };
}
