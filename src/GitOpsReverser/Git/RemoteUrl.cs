namespace GitOpsReverser.Git;

/// <summary>
/// Remote URLs as they may be shown in logs, statuses and errors: the user info of an http(s) URL is
/// a credential (<c>https://x-access-token:TOKEN@host/…</c>, <c>https://TOKEN@host/…</c>) and is hidden.
/// SSH user names (<c>git@host</c>) are not secrets and stay. Local repositories are told apart here too.
/// </summary>
internal static class RemoteUrl
{
    public static string Redact(string url) =>
        (url.StartsWith("https://", StringComparison.OrdinalIgnoreCase) || url.StartsWith("http://", StringComparison.OrdinalIgnoreCase))
        && Uri.TryCreate(url, UriKind.Absolute, out var uri) && uri.UserInfo.Length > 0
            ? new UriBuilder(uri) { UserName = "***", Password = "" }.Uri.AbsoluteUri
            : url;

    /// <summary>Whether <paramref name="url"/> names a repository on this machine: a path or a <c>file:</c> URL.</summary>
    public static bool IsLocal(string url) =>
        url.StartsWith("file:", StringComparison.OrdinalIgnoreCase) || url.StartsWith('/') || url.StartsWith('.') || url.StartsWith('~');

    /// <summary>The full path of a local repository URL (see <see cref="IsLocal"/>).</summary>
    public static string LocalPath(string url) =>
        Path.GetFullPath(url.StartsWith("file:", StringComparison.OrdinalIgnoreCase) ? new Uri(url).LocalPath : url);
}
