using GitOpsReverser.Kube;

namespace GitOpsReverser.Control;

/// <summary>
/// What the cluster serves, as discovery last read it: read again when a CRD changed (<see cref="Changed"/>) and at
/// least once a minute (an aggregated API server's kinds come and go without a CRD).
/// </summary>
internal sealed class ServedResources(HttpClient http, TimeProvider time)
{
    private static readonly TimeSpan MaxAge = TimeSpan.FromSeconds(60);
    private readonly ApiDiscovery discovery = new(http);
    private volatile bool changed = true;
    private DateTimeOffset readAt;

    /// <summary>The resources served, once <see cref="RefreshAsync"/> first ran.</summary>
    public IReadOnlyList<DiscoveredResource> Current { get; private set; } = [];

    /// <summary>A CRD appeared, changed or went: the next <see cref="RefreshAsync"/> reads discovery again.</summary>
    public void Changed() => changed = true;

    /// <summary>Reads discovery when it may have changed; true when what the cluster serves did change (the first read included).</summary>
    public async Task<bool> RefreshAsync(CancellationToken cancellationToken)
    {
        if (!changed && readAt != default && time.GetUtcNow() - readAt <= MaxAge)
        {
            return false;
        }

        changed = false;
        var previous = readAt == default ? null : Current;
        Current = await discovery.DiscoverAsync(cancellationToken);
        readAt = time.GetUtcNow();
        return previous is null || !previous.SequenceEqual(Current, SameResource.Instance);
    }

    private sealed class SameResource : IEqualityComparer<DiscoveredResource>
    {
        public static readonly SameResource Instance = new();

        public bool Equals(DiscoveredResource? x, DiscoveredResource? y) =>
            x is not null && y is not null && x == y with { Verbs = x.Verbs } && x.Verbs.SequenceEqual(y.Verbs);

        public int GetHashCode(DiscoveredResource obj) => HashCode.Combine(obj.Group, obj.Version, obj.Plural);
    }
}
