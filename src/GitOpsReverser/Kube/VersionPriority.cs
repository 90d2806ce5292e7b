using System.Globalization;
using System.Text.RegularExpressions;

namespace GitOpsReverser.Kube;

/// <summary>
/// Kubernetes' order of API versions, highest priority first, as the API server sorts a group's
/// versions: GA before beta before alpha (<c>v2</c>, <c>v1</c>, <c>v2beta1</c>, <c>v1beta2</c>,
/// <c>v1beta1</c>, <c>v1alpha1</c>), then versions that do not look like Kubernetes versions,
/// alphabetically.
/// </summary>
internal sealed partial class VersionPriority : IComparer<string>
{
    public static VersionPriority Instance { get; } = new();

    /// <summary>Negative when <paramref name="x"/> comes first (has the higher priority).</summary>
    public int Compare(string? x, string? y)
    {
        var (a, b) = (Parse(x ?? ""), Parse(y ?? ""));
        if (a is null || b is null)
        {
            return a is not null ? -1 : b is not null ? 1 : string.CompareOrdinal(x, y);
        }

        return a.Value.Stability != b.Value.Stability ? b.Value.Stability.CompareTo(a.Value.Stability)
            : a.Value.Major != b.Value.Major ? b.Value.Major.CompareTo(a.Value.Major)
            : b.Value.Minor.CompareTo(a.Value.Minor);
    }

    // Stability: 2 GA, 1 beta, 0 alpha.
    private static (int Stability, long Major, long Minor)? Parse(string version)
    {
        var match = KubeVersion().Match(version);
        if (!match.Success)
        {
            return null;
        }

        var major = long.Parse(match.Groups["major"].Value, CultureInfo.InvariantCulture);
        return match.Groups["stage"].Value switch
        {
            "" => (2, major, 0),
            var stage => (stage == "beta" ? 1 : 0, major, long.Parse(match.Groups["minor"].Value, CultureInfo.InvariantCulture)),
        };
    }

    [GeneratedRegex("^v(?<major>[1-9][0-9]{0,8})(?:(?<stage>alpha|beta)(?<minor>[1-9][0-9]{0,8}))?$")]
    private static partial Regex KubeVersion();
}
