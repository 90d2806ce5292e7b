using System.Text.RegularExpressions;

namespace GitOpsReverser.KubeSim.Api;

/// <summary>
/// The API server's order of a group's versions, highest priority first: GA, then beta, then alpha, each
/// by number descending (<c>v2</c>, <c>v1</c>, <c>v1beta2</c>, <c>v1beta1</c>, <c>v1alpha1</c>), then
/// anything else alphabetically. The first is the group's preferred version.
/// </summary>
internal sealed partial class VersionOrder : IComparer<string>
{
    public static VersionOrder Instance { get; } = new();

    public int Compare(string? x, string? y)
    {
        var (a, b) = (Key(x ?? ""), Key(y ?? ""));
        return a is null || b is null
            ? (a is not null ? -1 : b is not null ? 1 : string.CompareOrdinal(x, y))
            : b.Value.CompareTo(a.Value);
    }

    // (stability: 2 GA, 1 beta, 0 alpha; major; minor), compared as a tuple.
    private static (int, long, long)? Key(string version) =>
        Pattern().Match(version) is { Success: true } match
            ? (match.Groups[2].Value switch { "" => 2, "beta" => 1, _ => 0 }, long.Parse(match.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture),
                match.Groups[3].Success ? long.Parse(match.Groups[3].Value, System.Globalization.CultureInfo.InvariantCulture) : 0)
            : null;

    [GeneratedRegex("^v([1-9][0-9]{0,8})(?:(alpha|beta)([1-9][0-9]{0,8}))?$")]
    private static partial Regex Pattern();
}
