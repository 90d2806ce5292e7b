namespace GitOpsReverser.Git.Pipeline;

/// <summary>
/// A change waiting for its commit, and how many changes it stands for: 1, unless the queue was past its
/// bound and folded later changes to the same path into it (the commit then says so).
/// </summary>
internal sealed record QueuedChange(GitChange Change, int Changes)
{
    /// <summary>What the entry holds in memory, roughly: its content, its path, and a fixed cost per entry.</summary>
    public long Bytes { get; } = (Change.Content?.Length ?? 0) + ((Change.Resync ?? Change.Takeover)?.Sum(change => (long)(change.Content?.Length ?? 0) + 256) ?? 0)
        + (2L * Change.Path.Length) + 256;
}
