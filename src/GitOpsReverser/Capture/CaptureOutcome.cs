namespace GitOpsReverser.Capture;

/// <summary>What became of one watch event; the <c>outcome</c> label of <c>gitops_reverser_events_processed_total</c>.</summary>
internal static class CaptureOutcome
{
    /// <summary>Queued for a commit.</summary>
    public const string Committed = "committed";

    /// <summary>The sanitized output did not change (status, managedFields or resourceVersion churn).</summary>
    public const string Unchanged = "unchanged";

    /// <summary>Collected for the repository's <c>[RESYNC]</c> commit.</summary>
    public const string Resync = "resync";

    /// <summary>No rule captures it (kind, namespace, labels or controller ownership).</summary>
    public const string NotCaptured = "not-captured";

    /// <summary>Last written by an excluded field manager, or an operation the rule does not commit.</summary>
    public const string Excluded = "excluded";

    /// <summary>The sanitizer refused to write it (secret policy Skip).</summary>
    public const string Skipped = "skipped";

    /// <summary>
    /// Not queued: the repository's queue made no room for <see cref="RepoCapture.StallTimeout"/> (its remote hangs, say),
    /// or its capture stopped. The repository resyncs once it has room again.
    /// </summary>
    public const string Deferred = "deferred";

    /// <summary>The object could not be read or sanitized.</summary>
    public const string Error = "error";
}
