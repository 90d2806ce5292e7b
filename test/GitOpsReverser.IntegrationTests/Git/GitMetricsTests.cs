using System.Diagnostics.Metrics;
using GitOpsReverser.Git;
using GitOpsReverser.IntegrationTests.TestSupport;

namespace GitOpsReverser.IntegrationTests.Git;

/// <summary>Every Git pipeline instrument, observed while a worker commits, pushes and resolves a conflict.</summary>
[Category("Integration")]
public sealed class GitMetricsTests
{
    [Test]
    public async Task EveryInstrument_ReportsWhatTheWorkerDid()
    {
        using var temp = new TempDirectory();
        var remote = GitCli.InitBare(temp.Combine("remote.git"));
        using var meters = new TestMeterFactory();
        var measurements = new List<(string Name, double Value, Dictionary<string, string?> Tags)>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Scope == meters)
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        void Record<T>(Instrument instrument, T value, ReadOnlySpan<KeyValuePair<string, object?>> tags, object? state)
            where T : struct
        {
            lock (measurements)
            {
                measurements.Add((instrument.Name, Convert.ToDouble(value, System.Globalization.CultureInfo.InvariantCulture),
                    tags.ToArray().ToDictionary(tag => tag.Key, tag => tag.Value?.ToString())));
            }
        }

        listener.SetMeasurementEventCallback<long>(Record);
        listener.SetMeasurementEventCallback<double>(Record);
        listener.SetMeasurementEventCallback<int>(Record);
        listener.Start();

        await using (var worker = RunningWorker.Start(new RepoWorkerOptions
        {
            Id = "metrics",
            Url = remote,
            DataDirectory = temp.Combine("data"),
            PushQuietWindow = TimeSpan.FromMinutes(10),
            PushMaxDelay = TimeSpan.FromMinutes(10),
        }, meters))
        {
            await worker.PutAsync("a.yaml", "1\n", name: "a");
            await worker.WaitUntilIdleAsync();
            await worker.PutAsync("a.yaml", "1\n", name: "a");
            await worker.WaitUntilIdleAsync(allowPending: true);
            await worker.PutAsync("a.yaml", "old\n", name: "a", at: DateTimeOffset.UtcNow.AddHours(-1));
            await worker.WaitUntilIdleAsync(allowPending: true);
            listener.RecordObservableInstruments();
            var work = temp.Combine("elsewhere");
            GitCli.Run(temp.Path, "clone", "--quiet", remote, work);
            await File.WriteAllTextAsync(Path.Combine(work, "a.yaml"), "git\n");
            GitCli.Run(work, "commit", "--quiet", "-am", "by hand");
            GitCli.Run(work, "push", "--quiet", "origin", "HEAD:main");
            await worker.WaitUntilIdleAsync();
        }

        double Sum(string name, string? tag = null, string? value = null) =>
            measurements.Where(m => m.Name == name && (tag is null || m.Tags.GetValueOrDefault(tag) == value)).Sum(m => m.Value);

        Sum("gitops_reverser_git_operations_total", "operation", "push").Should().BeGreaterThanOrEqualTo(2);
        measurements.Should().Contain(m => m.Name == "gitops_reverser_git_operations_total" && m.Tags["result"] == "conflict");
        measurements.Where(m => m.Name == "gitops_reverser_git_push_duration_seconds").Should().ContainSingle("the conflicting change was dropped, so nothing was left to push again")
            .Which.Value.Should().BePositive();
        Sum("gitops_reverser_git_changes_total", "outcome", "committed").Should().Be(2);
        Sum("gitops_reverser_git_changes_total", "outcome", "unchanged").Should().Be(1);
        Sum("gitops_reverser_git_commits_total").Should().Be(2);
        Sum("gitops_reverser_git_conflicts_total", "resolution", "git-wins").Should().Be(1);
        measurements.Should().Contain(m => m.Name == "gitops_reverser_git_commit_queue_size" && m.Tags["repository"] == "metrics");
        measurements.Select(m => m.Tags.GetValueOrDefault("repository")).Should().OnlyContain(repository => repository == "metrics");
    }
}
