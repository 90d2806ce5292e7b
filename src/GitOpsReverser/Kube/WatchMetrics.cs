using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace GitOpsReverser.Kube;

/// <summary>The watch engine's instruments; names match README.md's metrics table.</summary>
internal sealed class WatchMetrics
{
    public const string MeterName = "GitOpsReverser.Kube";

    private readonly Counter<long> received;
    private readonly Counter<long> processed;
    private readonly Counter<long> restarts;
    private readonly Counter<long> relists;

    public WatchMetrics(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create(MeterName);
        received = meter.CreateCounter<long>("gitops_reverser_events_received_total", description: "Watch events and listed objects received, by kind");
        processed = meter.CreateCounter<long>("gitops_reverser_events_processed_total", description: "Watch events processed, by kind and outcome");
        restarts = meter.CreateCounter<long>("gitops_reverser_watch_restarts_total", description: "Watches started again after a dropped, silent or failed stream");
        relists = meter.CreateCounter<long>("gitops_reverser_watch_relists_total", description: "Full lists after the first one (410 Gone, rule changes)");
        meter.CreateObservableGauge("gitops_reverser_reflector_state", () => reflectors.SelectMany(pair =>
        {
            var current = StateOf(pair.Value());
            return States.Select(state => new Measurement<int>(state == current ? 1 : 0,
                new KeyValuePair<string, object?>("resource", pair.Key), new KeyValuePair<string, object?>("state", state)));
        }), description: "1 for each reflector's current state (listing, watching, backing-off, forbidden), 0 for the others");
    }

    private static readonly string[] States = ["listing", "watching", "backing-off", "forbidden"];

    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, Func<ReflectorStatus>> reflectors = new();

    /// <summary>Reports the state of the reflector of <paramref name="resource"/> until the returned handle is disposed.</summary>
    public IDisposable TrackReflector(string resource, Func<ReflectorStatus> status)
    {
        reflectors[resource] = status;
        return new Untracked(() => reflectors.TryRemove(new KeyValuePair<string, Func<ReflectorStatus>>(resource, status)));
    }

    private static string StateOf(ReflectorStatus status) =>
        status.Forbidden ? "forbidden" : status.LastError is not null ? "backing-off" : status.Synced ? "watching" : "listing";

    private sealed class Untracked(Action untrack) : IDisposable
    {
        public void Dispose() => untrack();
    }

    public void Received(string kind) => received.Add(1, new TagList { { "kind", kind } });

    public void Processed(string kind, string outcome) => processed.Add(1, new TagList { { "kind", kind }, { "outcome", outcome } });

    public void Restarted(string resource) => restarts.Add(1, new TagList { { "resource", resource } });

    public void Relisted(string resource) => relists.Add(1, new TagList { { "resource", resource } });
}
