using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace GitOpsReverser.Git;

/// <summary>The Git pipeline's instruments; names match README.md's metrics table.</summary>
internal sealed class GitMetrics
{
    public const string MeterName = "GitOpsReverser";

    private readonly Counter<long> operations;
    private readonly Histogram<double> pushDuration;
    private readonly Counter<long> events;
    private readonly Counter<long> commits;
    private readonly Counter<long> conflicts;

    public GitMetrics(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create(MeterName);
        operations = meter.CreateCounter<long>("gitops_reverser_git_operations_total", description: "Git operations by operation and result");
        pushDuration = meter.CreateHistogram<double>("gitops_reverser_git_push_duration_seconds", unit: "s", description: "Push duration",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30] });
        events = meter.CreateCounter<long>("gitops_reverser_git_changes_total", description: "Changes the Git pipeline processed, by outcome");
        commits = meter.CreateCounter<long>("gitops_reverser_git_commits_total", description: "Commits made");
        conflicts = meter.CreateCounter<long>("gitops_reverser_git_conflicts_total", description: "Pending changes met by newer remote commits, by resolution");
        meter.CreateObservableGauge("gitops_reverser_git_commit_queue_size",
            () => queues.Select(pair => new Measurement<int>(pair.Value(), new KeyValuePair<string, object?>("repository", pair.Key))),
            description: "Changes waiting to be committed");
    }

    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, Func<int>> queues = new();

    /// <summary>Reports <paramref name="size"/> as the queue size of <paramref name="repository"/> until <see cref="UntrackQueue"/>.</summary>
    public void TrackQueue(string repository, Func<int> size) => queues[repository] = size;

    public void UntrackQueue(string repository) => queues.TryRemove(repository, out _);

    public void Operation(string repository, string operation, string result) =>
        operations.Add(1, new TagList { { "repository", repository }, { "operation", operation }, { "result", result } });

    public void Pushed(string repository, TimeSpan duration) =>
        pushDuration.Record(duration.TotalSeconds, new TagList { { "repository", repository } });

    public void Event(string repository, string outcome) =>
        events.Add(1, new TagList { { "repository", repository }, { "outcome", outcome } });

    public void Committed(string repository) => commits.Add(1, new TagList { { "repository", repository } });

    public void Conflict(string repository, string resolution) =>
        conflicts.Add(1, new TagList { { "repository", repository }, { "resolution", resolution } });
}
