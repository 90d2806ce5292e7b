using System.Diagnostics.Metrics;

namespace GitOpsReverser.Attribution;

/// <summary>
/// The attribution webhook's metrics (meter <c>GitOpsReverser.Attribution</c>): requests by outcome, and
/// the records kept, with how many were dropped for the count bound or the age bound.
/// </summary>
internal sealed class AttributionMetrics
{
    public const string MeterName = "GitOpsReverser.Attribution";

    private readonly Counter<long> requests;

    public AttributionMetrics(IMeterFactory meterFactory, AttributionRecords records)
    {
        var meter = meterFactory.Create(MeterName);
        requests = meter.CreateCounter<long>("gitops_reverser_attribution_requests_total",
            description: "Admission requests the attribution webhook answered, by outcome");
        meter.CreateObservableGauge("gitops_reverser_attribution_records", () => records.Count,
            description: "Admission records kept in memory for attribution");
        meter.CreateObservableCounter("gitops_reverser_attribution_records_dropped_total", () => new[]
        {
            new Measurement<long>(records.DroppedForCount, new KeyValuePair<string, object?>("reason", "count")),
            new Measurement<long>(records.DroppedForAge, new KeyValuePair<string, object?>("reason", "age")),
            new Measurement<long>(records.DroppedForBytes, new KeyValuePair<string, object?>("reason", "bytes")),
        }, description: "Admission records dropped uncredited past the age bound, or to stay within the count or byte bound");
        meter.CreateObservableGauge("gitops_reverser_attribution_records_bytes", () => records.Bytes, "By",
            description: "What the attribution records take in memory, about");
    }

    /// <summary>
    /// <paramref name="outcome"/>: <c>recorded</c>, <c>ignored</c> (dry run, subresource, the operator's own), <c>oversized</c>,
    /// <c>unreadable</c>, <c>rejected</c>, <c>unauthenticated</c> (without the capability: not the API server).
    /// </summary>
    public void Request(string outcome) => requests.Add(1, new KeyValuePair<string, object?>("outcome", outcome));
}
