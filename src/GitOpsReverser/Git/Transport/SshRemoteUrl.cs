namespace GitOpsReverser.Git.Transport;

/// <summary>
/// SSH remote URLs: <c>ssh://[user@]host[:port]/path</c> and the scp-like <c>[user@]host:path</c>, which
/// is rewritten to <c>ssh://</c> (libgit2 hands managed transports only URLs with a scheme). A relative
/// scp path (<c>git@github.com:org/repo.git</c>) stays relative to the login's home as <c>/~/org/repo.git</c>.
/// </summary>
internal static class SshRemoteUrl
{
    public static bool IsSsh(string url) =>
        url.StartsWith("ssh://", StringComparison.OrdinalIgnoreCase) || IsScpLike(url);

    public static string Normalize(string url)
    {
        if (!IsScpLike(url))
        {
            return url;
        }

        var colon = url.IndexOf(':', StringComparison.Ordinal);
        var hostPart = url[..colon];
        var path = url[(colon + 1)..];
        return path.StartsWith('/') ? $"ssh://{hostPart}{path}" : $"ssh://{hostPart}/~/{path}";
    }

    /// <summary>The path as the remote's git programs expect it: absolute, or home-relative after <c>/~/</c>.</summary>
    public static string RemotePath(Uri uri)
    {
        var path = Uri.UnescapeDataString(uri.AbsolutePath);
        return path.StartsWith("/~/", StringComparison.Ordinal) ? path[3..] : path;
    }

    // host:path with no scheme, no backslash, and a colon before any slash (what git itself calls scp-like).
    private static bool IsScpLike(string url)
    {
        if (url.Contains("://", StringComparison.Ordinal) || url.Contains('\\', StringComparison.Ordinal))
        {
            return false;
        }

        var colon = url.IndexOf(':', StringComparison.Ordinal);
        var slash = url.IndexOf('/', StringComparison.Ordinal);
        return colon > 0 && (slash < 0 || colon < slash);
    }
}
