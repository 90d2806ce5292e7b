using System.Diagnostics.Metrics;
using GitOpsReverser.Specs;

namespace GitOpsReverser.Control;

/// <summary>
/// The operator's own objects as the last reconcile saw them (meter <c>GitOpsReverser.Control</c>): each
/// rule's and repository's Ready condition, the objects each rule tracks, how many rules are not Ready, and how
/// many objects were reconciled.
/// A standby reports none: only the leader reconciles.
/// </summary>
internal sealed class ControlMetrics
{
    public const string MeterName = "GitOpsReverser.Control";

    private volatile IReadOnlyList<ObjectStatus> statuses = [];
    private readonly Counter<long> reconciles;

    public ControlMetrics(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create(MeterName);
        reconciles = meter.CreateCounter<long>("gitops_reverser_reconciles_total",
            description: "Reconciles of one object by its key, by kind and result (success, error): one per change to it, and every object once per Operator:StatusInterval");
        meter.CreateObservableGauge("gitops_reverser_rule_ready",
            () => Rules().Select(status => new Measurement<int>(status.Ready == true ? 1 : 0, Tags(status))),
            description: "1 while a WatchRule or ClusterWatchRule is Ready, else 0");
        meter.CreateObservableGauge("gitops_reverser_rule_tracked_objects",
            () => Rules().Select(status => new Measurement<int>(
                (status.Fields as Api.V1Alpha1.RuleStatus)?.TrackedObjects ?? 0, Tags(status))),
            description: "Objects of a rule's kinds and namespaces in its repository");
        meter.CreateObservableGauge("gitops_reverser_rules_not_ready", () => Rules().Count(status => status.Ready != true),
            description: "WatchRules and ClusterWatchRules whose Ready condition is not True");
        meter.CreateObservableGauge("gitops_reverser_repository_ready",
            () => statuses.Where(status => status.Key.Kind == SpecReader.GitRepoConfigKind)
                .Select(status => new Measurement<int>(status.Ready == true ? 1 : 0, new KeyValuePair<string, object?>("repository", Name(status.Key)))),
            description: "1 while a GitRepoConfig is Ready, else 0");
    }

    /// <summary>One object of <paramref name="kind"/> was reconciled.</summary>
    public void Reconciled(string kind, bool success) =>
        reconciles.Add(1, new KeyValuePair<string, object?>("kind", kind), new KeyValuePair<string, object?>("result", success ? "success" : "error"));

    /// <summary>What the last reconcile found; replaced as a whole.</summary>
    public void Publish(IEnumerable<ObjectStatus> current) => statuses = [.. current];

    private IEnumerable<ObjectStatus> Rules() =>
        statuses.Where(status => status.Key.Kind is SpecReader.WatchRuleKind or SpecReader.ClusterWatchRuleKind);

    private static KeyValuePair<string, object?>[] Tags(ObjectStatus status) =>
        [new("kind", status.Key.Kind), new("rule", Name(status.Key))];

    private static string Name(ResourceKey key) => key.Namespace is null ? key.Name : $"{key.Namespace}/{key.Name}";
}
