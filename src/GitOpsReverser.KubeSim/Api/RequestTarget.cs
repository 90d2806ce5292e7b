namespace GitOpsReverser.KubeSim.Api;

/// <summary>
/// A resource URL taken apart: <c>/api/v1/namespaces/{ns}/{resource}/{name}/{subresource}</c>,
/// <c>/apis/{group}/{version}/{resource}/{name}</c> and the other forms the API server serves.
/// </summary>
internal sealed record RequestTarget(string Group, string Version, string? Namespace, string Resource, string? Name, string? Subresource)
{
    /// <summary>Parses the segments after <c>/api/{version}</c> or <c>/apis/{group}/{version}</c>; null when there are none.</summary>
    public static RequestTarget? Parse(string group, string version, string[] rest)
    {
        if (rest.Length == 0)
        {
            return null;
        }

        // /namespaces/{name}/status is the Namespace's own subresource, not a namespaced resource named "status".
        var namespaced = rest.Length >= 3 && rest[0] == "namespaces" && !(rest.Length == 3 && rest[2] is "status" or "finalize");
        if (namespaced)
        {
            return new RequestTarget(group, version, rest[1], rest[2], At(rest, 3), At(rest, 4)) { Extra = rest.Length > 5 };
        }

        return new RequestTarget(group, version, null, rest[0], At(rest, 1), At(rest, 2)) { Extra = rest.Length > 3 };
    }

    /// <summary>True when the URL had more segments than any resource path has.</summary>
    public bool Extra { get; private init; }

    private static string? At(string[] segments, int index) => index < segments.Length ? segments[index] : null;
}
