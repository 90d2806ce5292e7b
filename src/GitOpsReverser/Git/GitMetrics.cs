using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace GitOpsReverser.Git;

/// <summary>The Git pipeline's instruments; names match README.md's metrics table.</summary>
internal sealed class GitMetrics
{
    public const string MeterName = "GitOpsReverser.Git";

    private readonly Counter<long> operations;
    private readonly Histogram<double> pushDuration;
    private readonly Counter<long> events;
    private readonly Counter<long> commits;
    private readonly Counter<long> conflicts;

    private readonly Counter<long> notifications;
    private readonly Counter<long> notificationDrops;

    public GitMetrics(IMeterFactory meterFactory, TimeProvider? time = null)
    {
        timeProvider = time ?? TimeProvider.System;
        var meter = meterFactory.Create(MeterName);
        operations = meter.CreateCounter<long>("gitops_reverser_git_operations_total", description: "Git operations by operation and result");
        pushDuration = meter.CreateHistogram<double>("gitops_reverser_git_push_duration_seconds", unit: "s", description: "Push duration",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30] });
        events = meter.CreateCounter<long>("gitops_reverser_git_changes_total", description: "Changes the Git pipeline processed, by outcome");
        commits = meter.CreateCounter<long>("gitops_reverser_git_commits_total", description: "Commits made");
        conflicts = meter.CreateCounter<long>("gitops_reverser_git_conflicts_total", description: "Pending changes met by newer remote commits, by resolution");
        notifications = meter.CreateCounter<long>("gitops_reverser_notifications_total",
            description: "Notification messages about pushed commits, by repository, endpoint and result (sent, failed)");
        notificationDrops = meter.CreateCounter<long>("gitops_reverser_notification_commits_dropped_total",
            description: "Pushed commits left out of every message, by repository and endpoint: their message failed after its retries, or the batch was over its bound");
        coalesced = meter.CreateCounter<long>("gitops_reverser_git_changes_coalesced_total",
            description: "Changes folded into an earlier change to the same object because the queue was past its bound");
        meter.CreateObservableGauge("gitops_reverser_git_commit_queue_size",
            () => queues.Select(pair => new Measurement<int>(pair.Value.Size(), new KeyValuePair<string, object?>("repository", pair.Key))),
            description: "Changes waiting to be committed");
        meter.CreateObservableGauge("gitops_reverser_git_commit_queue_bytes",
            () => queues.Select(pair => new Measurement<long>(pair.Value.Bytes(), new KeyValuePair<string, object?>("repository", pair.Key))),
            unit: "By", description: "Bytes of changes waiting to be committed");
        meter.CreateObservableGauge("gitops_reverser_git_pending_commits",
            () => pushes.Select(pair => new Measurement<int>(pair.Value().PendingCommits, Repository(pair.Key))),
            description: "Commits made and not yet pushed");
        meter.CreateObservableGauge("gitops_reverser_git_oldest_pending_commit_age_seconds",
            () => pushes.Select(pair => new Measurement<double>(
                pair.Value().OldestPendingCommit is { } oldest ? Math.Max(0, (timeProvider.GetUtcNow() - oldest).TotalSeconds) : 0, Repository(pair.Key))),
            unit: "s", description: "How long the oldest commit not yet pushed has waited; 0 when every commit is pushed");
        meter.CreateObservableGauge("gitops_reverser_git_last_push_timestamp_seconds",
            () => pushes.Where(pair => pair.Value().LastPushTime is not null)
                .Select(pair => new Measurement<double>(pair.Value().LastPushTime!.Value.ToUnixTimeMilliseconds() / 1000.0, Repository(pair.Key))),
            unit: "s", description: "When the last push succeeded (Unix time)");
    }

    private static KeyValuePair<string, object?> Repository(string repository) => new("repository", repository);

    private readonly Counter<long> coalesced;
    private readonly TimeProvider timeProvider;
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, Func<RepoWorkerStatus>> pushes = new();

    /// <summary>Reports the pending commits and last push of <paramref name="repository"/> until <see cref="UntrackQueue"/>.</summary>
    public void TrackPushes(string repository, Func<RepoWorkerStatus> status) => pushes[repository] = status;
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, (Func<int> Size, Func<long> Bytes)> queues = new();

    /// <summary>Reports the queue of <paramref name="repository"/> (entries and bytes) until <see cref="UntrackQueue"/>.</summary>
    public void TrackQueue(string repository, Func<int> size, Func<long> bytes) => queues[repository] = (size, bytes);

    public void Coalesced(string repository) => coalesced.Add(1, new TagList { { "repository", repository } });

    public void UntrackQueue(string repository)
    {
        queues.TryRemove(repository, out _);
        pushes.TryRemove(repository, out _);
    }

    public void Operation(string repository, string operation, string result) =>
        operations.Add(1, new TagList { { "repository", repository }, { "operation", operation }, { "result", result } });

    public void Pushed(string repository, TimeSpan duration) =>
        pushDuration.Record(duration.TotalSeconds, new TagList { { "repository", repository } });

    public void Event(string repository, string outcome) =>
        events.Add(1, new TagList { { "repository", repository }, { "outcome", outcome } });

    /// <summary>A notification message to <paramref name="endpoint"/> was sent, or failed after its retries.</summary>
    public void Notified(string repository, string endpoint, bool sent) =>
        notifications.Add(1, new TagList { { "repository", repository }, { "endpoint", endpoint }, { "result", sent ? "sent" : "failed" } });

    /// <summary><paramref name="commits"/> pushed commits reached no message of <paramref name="endpoint"/>.</summary>
    public void NotificationDropped(string repository, string endpoint, int commits) =>
        notificationDrops.Add(commits, new TagList { { "repository", repository }, { "endpoint", endpoint } });

    public void Committed(string repository) => commits.Add(1, new TagList { { "repository", repository } });

    public void Conflict(string repository, string resolution) =>
        conflicts.Add(1, new TagList { { "repository", repository }, { "resolution", resolution } });
}
