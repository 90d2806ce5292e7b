using GitOpsReverser.Capture;
using GitOpsReverser.Specs;

namespace GitOpsReverser.Control;

/// <summary>A worker that failed: restarted after a back-off, its clone moved aside from the second failure in a row.</summary>
internal sealed partial class GitRepoConfigReconciler
{
    // Restarts back off (5 s, doubling to 5 minutes; a worker must then run HealthyAfter without failing for the
    // count to start afresh); from the second failure in a row the clone is moved aside, so a damaged clone is
    // replaced by a fresh one (the resync brings it to the cluster's state). One quarantined copy is kept, the
    // latest: a worker that keeps failing never fills the data directory.
    private void RecordFailure(ResourceKey key, RepoCapture capture, Exception failure)
    {
        var count = failures.TryGetValue(key, out var previous) ? previous.Count + 1 : 1;
        var delay = TimeSpan.FromSeconds(Math.Min(300, 5 * Math.Pow(2, count - 1)));
        failures[key] = (count, time.GetUtcNow() + delay, failure.GetBaseException().Message);
        var clone = capture.Worker.ClonePath;
        if (count < 2 || !Directory.Exists(clone))
        {
            return;
        }

        var aside = $"{clone}.broken";
        try
        {
            if (Directory.Exists(aside))
            {
                Directory.Delete(aside, recursive: true);
            }

            Directory.Move(clone, aside);
            Log.CloneMovedAside(logger, key.ToString(), aside);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            // The clone stays; the next failure tries again.
            Log.ReconcileObjectFailed(logger, key.ToString(), exception);
        }
    }
}
