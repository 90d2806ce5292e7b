using GitOpsReverser.Manifests;

namespace GitOpsReverser.Git.Layout;

/// <summary>
/// Where an object lives in the repository: <c>&lt;base&gt;/namespaces/&lt;namespace&gt;/&lt;Kind&gt;/&lt;name&gt;.yaml</c>
/// or <c>&lt;base&gt;/cluster-scoped/&lt;Kind&gt;/&lt;name&gt;.yaml</c>. Kinds outside the built-in groups are
/// written <c>Kind.group</c>, so two CRDs that share a kind never share a folder. The base folder is validated
/// once, when the layout is made, not for every path.
/// </summary>
internal sealed class RepositoryLayout
{
    public const string NamespacedFolder = "namespaces";
    public const string ClusterScopedFolder = "cluster-scoped";

    private static readonly HashSet<string> BuiltInGroups = new(StringComparer.Ordinal)
    {
        string.Empty, "apps", "batch", "autoscaling", "policy", "extensions",
    };

    private readonly string prefix;

    /// <summary>Throws <see cref="ArgumentException"/> for a base folder that could point outside the repository.</summary>
    public RepositoryLayout(string baseFolder = "")
    {
        var normalized = NormalizeBaseFolder(baseFolder);
        prefix = normalized.Length == 0 ? string.Empty : normalized + "/";
    }

    public string PathFor(ObjectIdentity identity)
    {
        var kindFolder = KindFolder(identity.Kind, identity.Group);
        var fileName = FileNameEncoding.Encode(identity.Name);
        return identity.Namespace is { } ns
            ? $"{prefix}{NamespacedFolder}/{ns}/{kindFolder}/{fileName}"
            : $"{prefix}{ClusterScopedFolder}/{kindFolder}/{fileName}";
    }

    public static string KindFolder(string kind, string group) =>
        IsBuiltInGroup(group) ? kind : $"{kind}.{group}";

    /// <summary>
    /// Whether a kind folder (<c>Kind</c>, or <c>Kind.group</c> outside the built-in groups) is the kind a person named:
    /// <c>kind</c> or <c>kind.group</c>, in any case (a built-in kind's folder has no group to tell them apart).
    /// </summary>
    public static bool KindFolderNames(string folder, string kind) =>
        string.Equals(folder, kind, StringComparison.OrdinalIgnoreCase)
        || (string.Equals(folder.Split('.', 2)[0], kind.Split('.', 2)[0], StringComparison.OrdinalIgnoreCase)
            && (!kind.Contains('.', StringComparison.Ordinal) || !folder.Contains('.', StringComparison.Ordinal)));

    /// <summary>The core group, the classic named groups, and every group ending in <c>.k8s.io</c>.</summary>
    public static bool IsBuiltInGroup(string group) =>
        BuiltInGroups.Contains(group) || group.EndsWith(".k8s.io", StringComparison.Ordinal);

    /// <summary>The most bytes a base folder may take, and one of its folder names (what file systems allow).</summary>
    public const int MaxBaseFolderBytes = 1024;

    public const int MaxSegmentBytes = 255;

    /// <summary>
    /// A base folder as a clean relative path (<c>clusters/prod</c>), or empty for the repository root.
    /// Throws <see cref="ArgumentException"/> for anything that could point outside the repository or that git
    /// refuses in a tree (<c>git fsck --strict</c>, checkout): only <c>[A-Za-z0-9._-]</c>, so no NTFS alias
    /// (<c>git~1</c>, <c>.git::$INDEX_ALLOCATION</c>) or HFS-ignorable character can spell <c>.git</c>; no part
    /// starting with <c>.git</c> in any case (<c>.GIT</c>, <c>.gitmodules</c>), none ending in <c>.</c> (Windows
    /// drops it), no <c>.</c> or <c>..</c>, no Windows device name, and no part over 255 bytes.
    /// </summary>
    public static string NormalizeBaseFolder(string baseFolder)
    {
        var trimmed = baseFolder.Trim().Trim('/');
        if (trimmed.Length == 0)
        {
            return string.Empty;
        }

        if (trimmed.Length > MaxBaseFolderBytes)
        {
            throw Refused($"is longer than {MaxBaseFolderBytes} characters");
        }

        foreach (var segment in trimmed.Split('/'))
        {
            var problem = segment switch
            {
                "" => "has an empty part (//)",
                "." or ".." => "has a . or .. part",
                _ when segment.Any(c => !(char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-')) =>
                    "may hold only letters, digits, '.', '_' and '-' between its slashes",
                _ when segment.StartsWith(".git", StringComparison.OrdinalIgnoreCase) => "has a part starting with .git (git's own names)",
                _ when segment.EndsWith('.') => "has a part ending in '.'",
                _ when FileNameEncoding.IsWindowsDeviceName(segment) => "has a part that is a Windows device name (con, nul, com1…)",
                _ when segment.Length > MaxSegmentBytes => $"has a part over {MaxSegmentBytes} characters",
                _ => null,
            };
            if (problem is not null)
            {
                throw Refused(problem);
            }
        }

        return trimmed;

        ArgumentException Refused(string problem) =>
            new($"base folder {(baseFolder.Length <= 80 && !baseFolder.Any(char.IsControl) ? $"\"{baseFolder}\" " : "")}{problem}: it must be a relative path of plain folder names, such as clusters/prod",
                nameof(baseFolder));
    }
}
