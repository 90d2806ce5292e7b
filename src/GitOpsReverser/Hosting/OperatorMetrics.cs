using System.Diagnostics.Metrics;
using GitOpsReverser.Control;

namespace GitOpsReverser.Hosting;

/// <summary>
/// The process's own gauges (meter <c>GitOpsReverser.Operator</c>): which build runs, and whether this
/// process leads (only the leader watches and commits).
/// </summary>
internal sealed class OperatorMetrics
{
    public const string MeterName = "GitOpsReverser.Operator";

    public OperatorMetrics(IMeterFactory meterFactory, Leadership leadership)
    {
        var meter = meterFactory.Create(MeterName);
        meter.CreateObservableGauge("gitops_reverser_build_info",
            () => new Measurement<int>(1, new KeyValuePair<string, object?>("version", BuildInfo.Version), new KeyValuePair<string, object?>("commit", BuildInfo.Commit)),
            description: "Always 1; the version and commit labels name the running build");
        meter.CreateObservableGauge("gitops_reverser_leader", () => leadership.Leading ? 1 : 0,
            description: "1 while this process leads (watches and commits), else 0");
    }
}
