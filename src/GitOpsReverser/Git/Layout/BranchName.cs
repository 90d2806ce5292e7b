using System.Text;

namespace GitOpsReverser.Git.Layout;

/// <summary>
/// Branch names as git checks them (<c>git check-ref-format --branch</c>): no component starts with <c>.</c> or ends
/// with <c>.lock</c>, no <c>..</c>, <c>@{</c>, <c>//</c>, control characters, space, <c>~ ^ : ? * [ \</c>, no
/// leading <c>-</c> or <c>/</c>, no trailing <c>/</c> or <c>.</c>, not <c>HEAD</c>. A component is
/// also a file under <c>refs/heads</c>, so it may take at most 255 bytes.
/// </summary>
internal static class BranchName
{
    public const int MaxComponentBytes = 255;

    /// <summary>Why <paramref name="branch"/> is not a branch name git accepts, or null when it is one.</summary>
    public static string? Problem(string branch)
    {
        if (branch.Length == 0)
        {
            return "is empty";
        }

        if (branch == "HEAD")
        {
            return "may not be \"HEAD\"";
        }

        if (branch.StartsWith('-') || branch.StartsWith('/') || branch.EndsWith('/') || branch.EndsWith('.'))
        {
            return "may not start with - or /, nor end with / or .";
        }

        foreach (var forbidden in (ReadOnlySpan<string>)["..", "@{", "//"])
        {
            if (branch.Contains(forbidden, StringComparison.Ordinal))
            {
                return $"may not contain \"{forbidden}\"";
            }
        }

        if (branch.Any(c => char.IsControl(c) || c is ' ' or '~' or '^' or ':' or '?' or '*' or '[' or '\\'))
        {
            return "may not contain control characters, space, ~ ^ : ? * [ or \\";
        }

        foreach (var component in branch.Split('/'))
        {
            if (component.StartsWith('.') || component.EndsWith(".lock", StringComparison.Ordinal))
            {
                return "has a part that starts with . or ends with .lock";
            }

            if (Encoding.UTF8.GetByteCount(component) > MaxComponentBytes)
            {
                return $"has a part over {MaxComponentBytes} bytes";
            }
        }

        return null;
    }
}
