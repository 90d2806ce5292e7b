using System.Globalization;
using GitOpsReverser.IntegrationTests.TestSupport;

namespace GitOpsReverser.IntegrationTests.Hosting;

/// <summary>
/// A real Prometheus scrapes the operator while it captures and pushes: every metric README.md promises for a
/// running operator is there, with the labels on-call queries use, and the process and runtime metrics too; and
/// every query of the Grafana dashboard returns data.
/// </summary>
[Category("Integration")]
public sealed class PrometheusScrapeTests
{
    // Present from the first capture and push on; the counters README lists for rarer events (conflicts,
    // coalescing, attribution) appear when those happen.
    private static readonly string[] Expected =
    [
        "gitops_reverser_build_info{version!=\"\"}",
        "gitops_reverser_leader",
        "gitops_reverser_events_received_total{kind=\"ConfigMap\"}",
        "gitops_reverser_reflector_state{resource=\"configmaps\",state=\"watching\"} == 1",
        "gitops_reverser_rule_ready{kind=\"WatchRule\",rule=\"gitops-reverser-system/configs\"} == 1",
        "gitops_reverser_rule_tracked_objects{rule=\"gitops-reverser-system/configs\"} == 3",
        "gitops_reverser_rules_not_ready == 0",
        "gitops_reverser_repository_ready{repository=\"gitops-reverser-system/audit\"} == 1",
        "gitops_reverser_events_processed_total{kind=\"ConfigMap\",outcome=\"committed\"}",
        "gitops_reverser_git_operations_total{repository=\"gitops-reverser-system/audit\",operation=\"push\",result=\"success\"}",
        "gitops_reverser_git_push_duration_seconds_bucket{repository=\"gitops-reverser-system/audit\"}",
        "gitops_reverser_git_commit_queue_size{repository=\"gitops-reverser-system/audit\"}",
        "gitops_reverser_git_commit_queue_bytes{repository=\"gitops-reverser-system/audit\"}",
        "gitops_reverser_git_commits_total{repository=\"gitops-reverser-system/audit\"}",
        "gitops_reverser_git_changes_total{repository=\"gitops-reverser-system/audit\"}",
        "gitops_reverser_git_pending_commits{repository=\"gitops-reverser-system/audit\"}",
        "gitops_reverser_git_oldest_pending_commit_age_seconds{repository=\"gitops-reverser-system/audit\"}",
        "gitops_reverser_git_last_push_timestamp_seconds{repository=\"gitops-reverser-system/audit\"}",
        "process_cpu_time_seconds_total",
        "process_memory_usage_bytes",
        "dotnet_gc_collections_total",
        "dotnet_gc_last_collection_heap_size_bytes",
    ];

    [Test]
    public async Task EveryMetricOfARunningOperator_IsScrapedByPrometheus_AndDocumented()
    {
        await using var bed = await OperatorTestbed.StartAsync();
        await bed.CaptureConfigMapsAsync("apps");
        await bed.StartOperatorAsync();
        for (var i = 0; i < 3; i++)
        {
            (await bed.KubectlAsync($"create configmap c{i} -n apps --from-literal=a=b")).ShouldSucceed();
        }

        await bed.CommitsAsync(4);
        using var prometheus = new PrometheusServer($"127.0.0.1:{bed.Operator!.MetricsPort.ToString(CultureInfo.InvariantCulture)}");

        var missing = Expected.ToList();
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (missing.Count > 0 && DateTime.UtcNow < deadline)
        {
            foreach (var selector in missing.ToList())
            {
                if ((await prometheus.QueryAsync(selector)).Count > 0)
                {
                    missing.Remove(selector);
                }
            }

            await Task.Delay(500);
        }

        missing.Should().BeEmpty("every one of these should have been scraped; operator output:\n" + bed.Operator.Output);
        (await prometheus.QueryAsync("up{job=\"gitops-reverser\"} == 1")).Should().ContainSingle();
        (await prometheus.QueryAsync("gitops_reverser_leader")).Single()!["value"]![1]!.ToString().Should().Be("1", "a process without leader election leads");
        (await prometheus.QueryAsync("time() - gitops_reverser_git_last_push_timestamp_seconds < 120")).Should().ContainSingle("the last push was just now");

        // Every panel of the dashboard, its variables as Grafana fills them for "All", returns data.
        var panels = System.Text.Json.Nodes.JsonNode.Parse(await File.ReadAllTextAsync(Deploy.MonitoringTests.Dashboard))!["panels"]!.AsArray();
        var empty = new List<string>();
        foreach (var target in panels.SelectMany(panel => panel!["targets"]!.AsArray()))
        {
            var expression = ((string)target!["expr"]!).Replace("$__rate_interval", "1m", StringComparison.Ordinal)
                .Replace("$repository", ".*", StringComparison.Ordinal).Replace("$rule", ".*", StringComparison.Ordinal);
            var until = DateTime.UtcNow.AddSeconds(20);
            while ((await prometheus.QueryAsync(expression)).Count == 0 && DateTime.UtcNow < until)
            {
                await Task.Delay(500);
            }

            if ((await prometheus.QueryAsync(expression)).Count == 0)
            {
                empty.Add(expression);
            }
        }

        empty.Should().BeEmpty("every dashboard query returns data for a running operator");

        var page = await File.ReadAllTextAsync(Path.Combine(Kubectl.RepositoryRoot, "docs", "operator", "monitoring.md"));
        foreach (var name in Expected.Select(selector => selector.Split('{', ' ')[0].Replace("_bucket", "", StringComparison.Ordinal)))
        {
            page.Should().Contain($"`{name}`", "the manual's metrics tables (docs/operator/monitoring.md) list every metric");
        }
    }
}
