namespace GitOpsReverser.Kube;

/// <summary>
/// Turns a rule's <c>apiVersion</c> and <c>kind</c> (either may be <c>*</c>) into the discovered
/// resources to watch: <c>*</c> takes each kind in its one preferred version, a named apiVersion exactly
/// that version. A wildcard kind leaves out the noisy kinds (Events of both groups, Pods,
/// ReplicaSets, Endpoints, EndpointSlices, Leases, ControllerRevisions) unless they are named.
/// </summary>
internal static class ResourceSelection
{
    private static readonly HashSet<string> NoisyKinds = new(StringComparer.Ordinal)
    {
        "Event", "Pod", "ReplicaSet", "Endpoints", "EndpointSlice", "Lease", "ControllerRevision",
    };

    public static IReadOnlyList<DiscoveredResource> Resolve(IEnumerable<DiscoveredResource> discovered, string apiVersion, string kind)
    {
        var anyVersion = apiVersion == "*";
        var anyKind = kind == "*";
        return [.. discovered.Where(resource =>
            resource.Watchable
            && (anyVersion ? resource.Preferred : string.Equals(resource.ApiVersion, apiVersion, StringComparison.Ordinal))
            && (anyKind ? !NoisyKinds.Contains(resource.Kind) : string.Equals(resource.Kind, kind, StringComparison.OrdinalIgnoreCase)))];
    }
}
