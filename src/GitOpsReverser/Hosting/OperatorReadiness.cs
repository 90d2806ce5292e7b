using GitOpsReverser.Control;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace GitOpsReverser.Hosting;

/// <summary>
/// Ready once the operator's objects are listed and every repository has finished its first sync; a
/// standby (leader election) once it has seen another process lead.
/// </summary>
internal sealed class OperatorReadiness(Leadership leadership) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(leadership.Ready
            ? HealthCheckResult.Healthy()
            : HealthCheckResult.Unhealthy("waiting for the first sync of every repository"));
}
