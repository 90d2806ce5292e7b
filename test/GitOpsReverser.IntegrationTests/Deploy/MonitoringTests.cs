using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using YamlDotNet.RepresentationModel;

namespace GitOpsReverser.IntegrationTests.Deploy;

/// <summary>
/// The dashboard and the alerts the chart ships: the dashboard's structure (datasource, targets, unique
/// ids, panels that do not overlap) and the chart's copy of it; the PrometheusRule as Helm renders it,
/// checked by the real <c>promtool check rules</c>, and each alert fired and not fired on synthetic series
/// by <c>promtool test rules</c>.
/// </summary>
[Category("Integration")]
public sealed partial class MonitoringTests
{
    public static readonly string Dashboard = Path.Combine(Kubectl.RepositoryRoot, "deploy", "grafana", "gitops-reverser.json");
    private const string Job = "gitops-reverser-metrics";

    [Test]
    public void Dashboard_EveryPanelHasADatasourceTargetsAUniqueIdAndItsOwnPlace()
    {
        var dashboard = JsonNode.Parse(File.ReadAllText(Dashboard))!.AsObject();

        File.ReadAllText(Path.Combine(Helm.Chart, "dashboards", "gitops-reverser.json")).Should().Be(File.ReadAllText(Dashboard),
            "the chart ships the same dashboard as deploy/grafana/");
        ((int)dashboard["schemaVersion"]!).Should().BeGreaterThanOrEqualTo(39);
        var variables = dashboard["templating"]!["list"]!.AsArray().Select(variable => (string)variable!["name"]!).ToList();
        variables.Should().Contain(["datasource", "repository", "rule"]);
        var panels = dashboard["panels"]!.AsArray().Select(panel => panel!.AsObject()).ToList();
        panels.Should().HaveCountGreaterThanOrEqualTo(10);
        panels.Select(panel => (int)panel["id"]!).Should().OnlyHaveUniqueItems();
        foreach (var panel in panels)
        {
            ((string?)panel["datasource"]?["uid"]).Should().Be("${datasource}", $"panel {panel["title"]} uses the datasource variable");
            panel["targets"]!.AsArray().Should().NotBeEmpty().And.OnlyContain(target => !string.IsNullOrWhiteSpace((string?)target!["expr"]));
        }

        var places = panels.Select(panel => (Title: (string)panel["title"]!, Box: panel["gridPos"]!)).ToList();
        foreach (var (title, box) in places)
        {
            ((int)box["x"]! + (int)box["w"]!).Should().BeLessThanOrEqualTo(24, $"{title} fits the 24 columns");
            foreach (var (other, otherBox) in places.Where(place => place.Title != title))
            {
                var overlaps = (int)box["x"]! < (int)otherBox["x"]! + (int)otherBox["w"]! && (int)otherBox["x"]! < (int)box["x"]! + (int)box["w"]!
                    && (int)box["y"]! < (int)otherBox["y"]! + (int)otherBox["h"]! && (int)otherBox["y"]! < (int)box["y"]! + (int)box["h"]!;
                overlaps.Should().BeFalse($"{title} and {other} must not overlap");
            }
        }
    }

    [Test]
    public async Task Chart_ShipsTheDashboardForTheSidecar()
    {
        var rendered = await RenderAsync("--set", "grafanaDashboard.enabled=true");
        var configMap = Documents(rendered).Single(document => Scalar(document, "kind") == "ConfigMap");

        var metadata = (YamlMappingNode)configMap.Children[new YamlScalarNode("metadata")];
        ((YamlScalarNode)((YamlMappingNode)metadata.Children[new YamlScalarNode("labels")]).Children[new YamlScalarNode("grafana_dashboard")]).Value.Should().Be("1");
        var json = ((YamlScalarNode)((YamlMappingNode)configMap.Children[new YamlScalarNode("data")]).Children[new YamlScalarNode("gitops-reverser.json")]).Value;
        JsonNode.DeepEquals(JsonNode.Parse(json!), JsonNode.Parse(File.ReadAllText(Dashboard))).Should().BeTrue();
    }

    [Test]
    public async Task Alerts_PassPromtoolsCheck_AndEachFiresWhenItShouldAndOnlyThen()
    {
        using var temp = new TempDirectory();
        var rendered = await RenderAsync("--set", "prometheusRule.enabled=true");
        var rule = Documents(rendered).Single(document => Scalar(document, "kind") == "PrometheusRule");
        var groups = ((YamlMappingNode)rule.Children[new YamlScalarNode("spec")]).Children[new YamlScalarNode("groups")];
        var rules = temp.Combine("rules.yaml");
        var stream = new YamlStream(new YamlDocument(new YamlMappingNode { { "groups", groups } }));
        using (var writer = new StreamWriter(rules))
        {
            stream.Save(writer, assignAnchors: false);
        }

        var check = await RunAsync("promtool", "check", "rules", rules);
        check.ExitCode.Should().Be(0, check.Output);
        check.Output.Should().Contain("SUCCESS: 6 rules found");

        var alerts = ((YamlSequenceNode)((YamlMappingNode)((YamlSequenceNode)groups).Children[0]).Children[new YamlScalarNode("rules")])
            .Children.Cast<YamlMappingNode>().ToDictionary(alert => Scalar(alert, "alert")!);
        alerts.Keys.Should().BeEquivalentTo(["GitOpsReverserPushesFailing", "GitOpsReverserCommitsNotPushed", "GitOpsReverserRuleNotReady",
            "GitOpsReverserReflectorUnhealthy", "GitOpsReverserNoLeader", "GitOpsReverserDown"]);
        var page = await File.ReadAllTextAsync(Path.Combine(Kubectl.RepositoryRoot, "docs", "operator", "monitoring.md"));
        foreach (var alert in alerts.Values)
        {
            page.Should().Contain($"#### Alert: {Scalar(alert, "alert")}\n", "each runbook_url leads to a section of docs/operator/monitoring.md");
            var annotations = (YamlMappingNode)alert.Children[new YamlScalarNode("annotations")];
            Scalar(annotations, "runbook_url").Should().StartWith("https://").And.Contain("docs/operator/monitoring.md#alert-" + Scalar(alert, "alert")!.ToLowerInvariant());
            Scalar(annotations, "summary").Should().NotBeNullOrEmpty();
            Scalar(annotations, "description").Should().NotBeNullOrEmpty();
        }

        // Each alert in a test of its own: firing on the series that should fire it, for that object only.
        var tests = new List<string>
        {
            Case(alerts, "GitOpsReverserPushesFailing", "repository", "ops/failing", 20,
                Series("gitops_reverser_git_operations_total", "repository=\"ops/failing\",operation=\"push\",result=\"authentication\"", "0+1x40"),
                Series("gitops_reverser_git_operations_total", "repository=\"ops/fine\",operation=\"push\",result=\"success\"", "0+1x40"),
                Series("gitops_reverser_git_operations_total", "repository=\"ops/fine\",operation=\"push\",result=\"transient\"", "0+1x40")),
            Case(alerts, "GitOpsReverserCommitsNotPushed", "repository", "ops/behind", 20,
                Series("gitops_reverser_git_oldest_pending_commit_age_seconds", "repository=\"ops/behind\"", "0+60x40"),
                Series("gitops_reverser_git_oldest_pending_commit_age_seconds", "repository=\"ops/fine\"", "0x40")),
            Case(alerts, "GitOpsReverserRuleNotReady", "rule", "ops/broken", 20,
                Series("gitops_reverser_rule_ready", "kind=\"WatchRule\",rule=\"ops/broken\"", "0x40"),
                Series("gitops_reverser_rule_ready", "kind=\"WatchRule\",rule=\"ops/fine\"", "1x40")),
            Case(alerts, "GitOpsReverserReflectorUnhealthy", "resource", "secrets", 20,
                Series("gitops_reverser_reflector_state", "resource=\"secrets\",state=\"forbidden\"", "1x40"),
                Series("gitops_reverser_reflector_state", "resource=\"configmaps\",state=\"forbidden\"", "0x40"),
                Series("gitops_reverser_reflector_state", "resource=\"configmaps\",state=\"watching\"", "1x40")),
            Case(alerts, "GitOpsReverserNoLeader", null, null, 10,
                Series("gitops_reverser_leader", "instance=\"a\"", "0x40"),
                Series("gitops_reverser_leader", "instance=\"b\"", "0x40")),
            Case(alerts, "GitOpsReverserDown", null, null, 10,
                Series("up", "instance=\"a\"", "0x40")),
        };

        // And none fires on a healthy operator.
        tests.Add($$"""
              - interval: 1m
                input_series:
            {{Series("gitops_reverser_git_operations_total", "repository=\"ops/fine\",operation=\"push\",result=\"success\"", "0+1x40")}}
            {{Series("gitops_reverser_git_oldest_pending_commit_age_seconds", "repository=\"ops/fine\"", "0x40")}}
            {{Series("gitops_reverser_rule_ready", "kind=\"WatchRule\",rule=\"ops/fine\"", "1x40")}}
            {{Series("gitops_reverser_reflector_state", "resource=\"configmaps\",state=\"watching\"", "1x40")}}
            {{Series("gitops_reverser_reflector_state", "resource=\"configmaps\",state=\"forbidden\"", "0x40")}}
            {{Series("gitops_reverser_leader", "instance=\"a\"", "1x40")}}
            {{Series("up", "instance=\"a\"", "1x40")}}
                alert_rule_test:
            {{string.Join("\n", alerts.Keys.Select(name => $"      - {{eval_time: 30m, alertname: {name}, exp_alerts: []}}"))}}
            """);
        var unitTests = temp.Combine("alerts.test.yaml");
        await File.WriteAllTextAsync(unitTests, "rule_files: [rules.yaml]\nevaluation_interval: 1m\ntests:\n" + string.Join("\n", tests) + "\n");

        var test = await RunAsync("promtool", "test", "rules", unitTests);
        test.ExitCode.Should().Be(0, test.Output + "\n" + await File.ReadAllTextAsync(unitTests));
        test.Output.Should().Contain("SUCCESS");
    }

    // One promtool test: not firing at 2 minutes (pending at most), firing at firesAt minutes with the object's label
    // and the annotations the rule renders for it.
    private static string Case(Dictionary<string, YamlMappingNode> alerts, string name, string? label, string? value, int firesAt, params string[] series)
    {
        var alert = alerts[name];
        var labels = new Dictionary<string, string> { ["severity"] = Scalar((YamlMappingNode)alert.Children[new YamlScalarNode("labels")], "severity")! };
        if (label is not null)
        {
            labels[label] = value!;
        }

        foreach (var (key, extra) in ExtraLabels(name))
        {
            labels[key] = extra;
        }

        var annotations = ((YamlMappingNode)alert.Children[new YamlScalarNode("annotations")]).Children
            .ToDictionary(pair => ((YamlScalarNode)pair.Key).Value!, pair => LabelReference().Replace(((YamlScalarNode)pair.Value).Value!, match => labels[match.Groups[1].Value]));
        static string Map(Dictionary<string, string> values) =>
            "{" + string.Join(", ", values.Select(pair => $"{pair.Key}: {System.Text.Json.JsonSerializer.Serialize(pair.Value)}")) + "}";
        return $$"""
              - interval: 1m
                input_series:
            {{string.Join("\n", series)}}
                alert_rule_test:
                  - {eval_time: 2m, alertname: {{name}}, exp_alerts: []}
                  - eval_time: {{firesAt}}m
                    alertname: {{name}}
                    exp_alerts:
                      - exp_labels: {{Map(labels)}}
                        exp_annotations: {{Map(annotations)}}
            """;
    }

    // Labels an alert keeps from its series beyond the object's own.
    private static IEnumerable<(string, string)> ExtraLabels(string name) => name switch
    {
        "GitOpsReverserCommitsNotPushed" => [("job", Job)],
        "GitOpsReverserRuleNotReady" => [("job", Job), ("kind", "WatchRule")],
        "GitOpsReverserReflectorUnhealthy" => [("job", Job), ("state", "forbidden")],
        _ => [],
    };

    private static string Series(string metric, string labels, string values) =>
        $"      - {{series: '{metric}{{job=\"{Job}\",{labels}}}', values: '{values}'}}";

    private static async Task<string> RenderAsync(params string[] values)
    {
        using var temp = new TempDirectory();
        var helm = new Helm(temp.Combine("kubeconfig"), temp.Combine("helm"));
        var result = await helm.RunAsync(["template", "gitops-reverser", Helm.Chart, "-n", "gitops-reverser-system", .. values]);
        result.ShouldSucceed();
        return result.Output;
    }

    private static List<YamlMappingNode> Documents(string yaml)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(yaml));
        return [.. stream.Documents.Select(document => document.RootNode).OfType<YamlMappingNode>()];
    }

    private static string? Scalar(YamlMappingNode node, string key) =>
        node.Children.TryGetValue(new YamlScalarNode(key), out var value) ? (value as YamlScalarNode)?.Value : null;

    private static async Task<(int ExitCode, string Output)> RunAsync(string program, params string[] arguments)
    {
        using var process = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo(program, arguments)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        })!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, await stdout + await stderr);
    }

    [GeneratedRegex(@"\{\{ \$labels\.(\w+) \}\}")]
    private static partial Regex LabelReference();
}
