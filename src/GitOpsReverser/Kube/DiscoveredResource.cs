
namespace GitOpsReverser.Kube;

/// <summary>A resource the API server announces in discovery, with its verbs.</summary>
internal sealed record DiscoveredResource(string Group, string Version, string Plural, string Kind, bool Namespaced, IReadOnlyList<string> Verbs)
{
    public string ApiVersion => Group.Length == 0 ? Version : $"{Group}/{Version}";

    /// <summary>
    /// True for the one version a wildcard rule captures its kind in (the group's preferred version, or the
    /// highest-priority version serving the kind); a rule that names another served version gets that one.
    /// </summary>
    public bool Preferred { get; init; } = true;

    /// <summary>True when a reflector can follow it: it can be listed and watched.</summary>
    public bool Watchable => Verbs.Contains("list") && Verbs.Contains("watch");

    public WatchedResource ToWatched() => new(Group, Version, Plural, Kind, Namespaced);
}
