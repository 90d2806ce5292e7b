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
    }

    public void Received(string kind) => received.Add(1, new TagList { { "kind", kind } });

    public void Processed(string kind, string outcome) => processed.Add(1, new TagList { { "kind", kind }, { "outcome", outcome } });

    public void Restarted(string resource) => restarts.Add(1, new TagList { { "resource", resource } });

    public void Relisted(string resource) => relists.Add(1, new TagList { { "resource", resource } });
}
