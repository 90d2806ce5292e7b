using GitOpsReverser.Manifests;

namespace GitOpsReverser.Git;

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

    /// <summary>The core group, the classic named groups, and every group ending in <c>.k8s.io</c>.</summary>
    public static bool IsBuiltInGroup(string group) =>
        BuiltInGroups.Contains(group) || group.EndsWith(".k8s.io", StringComparison.Ordinal);

    /// <summary>
    /// A base folder as a clean relative path (<c>clusters/prod</c>), or empty for the repository root.
    /// Throws <see cref="ArgumentException"/> for anything that could point outside the repository.
    /// </summary>
    private static string NormalizeBaseFolder(string baseFolder)
    {
        var trimmed = baseFolder.Trim().Trim('/');
        if (trimmed.Length == 0)
        {
            return string.Empty;
        }

        foreach (var segment in trimmed.Split('/'))
        {
            if (segment is "" or "." or ".." || segment.Contains('\\', StringComparison.Ordinal) || segment.Any(char.IsControl) || segment == ".git")
            {
                throw new ArgumentException(
                    $"base folder \"{baseFolder}\" must be a relative path of plain folder names (no empty, '.', '..' or '.git' parts, no backslashes)",
                    nameof(baseFolder));
            }
        }

        return trimmed;
    }
}
