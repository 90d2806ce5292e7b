namespace GitOpsReverser.Git.Transport;

/// <summary>
/// Remote URLs as the operator accepts and shows them. Credentials belong in the GitRepoConfig's Secret,
/// never in its URL: <see cref="CredentialProblem"/> says what a URL carries that it must not (a user info of
/// an http(s) URL, which may be a token; a password of an SSH URL, in either form; a query string or fragment,
/// where tokens such as <c>?access_token=</c> hide), and <see cref="Redact"/> masks all of it wherever a URL is
/// shown, for every scheme and form, even a malformed one (a password holding <c>@</c>). SSH user names
/// (<c>git@host</c>) are not secrets and stay. Local repositories are told apart here too.
/// </summary>
internal static class RemoteUrl
{
    private const string Mask = "***";

    /// <summary>The URL with every credential masked: user info of http(s), the password of any other form, query and fragment values.</summary>
    public static string Redact(string url)
    {
        var parts = Parse(url);
        if (parts.UserInfo is { } userInfo)
        {
            var colon = userInfo.IndexOf(':', StringComparison.Ordinal);
            var shown = parts.IsHttp ? Mask : colon < 0 ? userInfo : $"{userInfo[..colon]}:{Mask}";
            url = url[..parts.UserInfoStart] + shown + url[(parts.UserInfoStart + userInfo.Length)..];
        }

        var query = url.IndexOfAny(['?', '#'], Parse(url).HostStart);
        return query < 0 ? url : url[..(query + 1)] + Mask;
    }

    /// <summary>What in <paramref name="url"/> is a credential that belongs in the Secret (never repeated), or null when it carries none.</summary>
    public static string? CredentialProblem(string url)
    {
        var parts = Parse(url);
        if (parts.UserInfo is { } userInfo && (parts.IsHttp || userInfo.Contains(':', StringComparison.Ordinal)))
        {
            return parts.IsHttp
                ? "carries credentials in its user info (before @)"
                : "carries a password in its user info (user:PASSWORD@)";
        }

        if (parts.IsHttp && url.IndexOfAny(['?', '#'], parts.HostStart) >= 0)
        {
            return "carries a query string or fragment (where tokens such as ?access_token= hide)";
        }

        return null;
    }

    /// <summary>Whether <paramref name="url"/> names a repository on this machine: a path or a <c>file:</c> URL.</summary>
    public static bool IsLocal(string url) =>
        url.StartsWith("file:", StringComparison.OrdinalIgnoreCase) || url.StartsWith('/') || url.StartsWith('.') || url.StartsWith('~');

    /// <summary>The full path of a local repository URL (see <see cref="IsLocal"/>).</summary>
    public static string LocalPath(string url) =>
        Path.GetFullPath(url.StartsWith("file:", StringComparison.OrdinalIgnoreCase) ? new Uri(url).LocalPath : url);

    // Where the user info and the host begin. With a scheme, the authority runs to the first '/', '?' or '#', and
    // the user info to its last '@' (a password may hold '@'); without one (scp-like user@host:path), to the last
    // '@' before the first '/'. An authority that is no host[:port] and no user info (user:pa/ss@host, a password
    // holding '/') is taken to end at the last '@' before any query: such a URL cannot work, and is still masked.
    // Nothing here throws: a URL too broken to parse is masked all the same.
    private static (bool IsHttp, int UserInfoStart, string? UserInfo, int HostStart) Parse(string url)
    {
        if (IsLocal(url))
        {
            return (false, 0, null, url.Length);
        }

        var scheme = url.IndexOf("://", StringComparison.Ordinal);
        var isHttp = url.StartsWith("http://", StringComparison.OrdinalIgnoreCase) || url.StartsWith("https://", StringComparison.OrdinalIgnoreCase);
        var start = scheme < 0 ? 0 : scheme + 3;
        var end = url.IndexOfAny(['?', '#'], start) is var stop and >= 0 ? stop : url.Length;
        var slash = url.IndexOf('/', start, end - start);
        var authorityEnd = slash < 0 ? end : slash;
        var at = LastAt(url, start, authorityEnd);
        if (at < start && scheme >= 0 && !IsHostAndPort(url.AsSpan(start, authorityEnd - start)))
        {
            at = LastAt(url, start, end);
        }

        return at < start ? (isHttp, start, null, start) : (isHttp, start, url[start..at], at + 1);
    }

    // The last '@' in url[start..end], or -1.
    private static int LastAt(string url, int start, int end) => url.AsSpan(start, end - start).LastIndexOf('@') is var at and >= 0 ? start + at : -1;

    // host, host:port or [v6]:port: a colon is followed by digits only.
    private static bool IsHostAndPort(ReadOnlySpan<char> authority)
    {
        var colon = authority.LastIndexOf(':');
        return colon < 0 || authority.EndsWith("]") || authority[(colon + 1)..].IndexOfAnyExceptInRange('0', '9') < 0;
    }
}
