namespace GitOpsReverser.Git.Transport;

/// <summary>
/// What a server's refusal of one ref update means, from its reason (<c>ng refs/heads/main REASON</c>)
/// and what it printed meanwhile. The branch moved — a plain non-fast-forward, or a concurrent push that
/// won the ref's lock (<c>failed to update ref</c> with <c>cannot lock ref … is at X but expected Y</c>) —
/// means fetch and replay at once; a lock held a moment too long is transient; anything else (hooks,
/// branch protection) is a rejection.
/// </summary>
internal static class PushRejection
{
    public static GitFailureKind Classify(string reason, string messages)
    {
        bool In(string text, string value) => text.Contains(value, StringComparison.OrdinalIgnoreCase);
        if (In(reason, "non-fast-forward") || In(reason, "fetch first") || In(reason, "stale info")
            || (In(reason, "failed to update ref") && In(messages, "but expected")))
        {
            return GitFailureKind.NonFastForward;
        }

        return In(reason, "failed to lock") || In(reason, "cannot lock") || In(reason, "failed to update ref")
            ? GitFailureKind.Transient
            : GitFailureKind.Rejected;
    }
}
