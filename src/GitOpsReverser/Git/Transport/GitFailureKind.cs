namespace GitOpsReverser.Git.Transport;

/// <summary>Why talking to a remote failed, which decides whether and how soon to try again.</summary>
internal enum GitFailureKind
{
    /// <summary>Network trouble, timeouts, 5xx: retried with backoff.</summary>
    Transient,

    /// <summary>Wrong or missing credentials: reported, retried only slowly.</summary>
    Authentication,

    /// <summary>The server's certificate or SSH host key is not trusted: reported, retried only slowly.</summary>
    Trust,

    /// <summary>The branch moved: fetch, re-apply pending changes, push again.</summary>
    NonFastForward,

    /// <summary>The server refused the push (a pre-receive hook, a protected branch): reported.</summary>
    Rejected,

    /// <summary>Anything else (a bad URL, a missing repository): reported, retried only slowly.</summary>
    Configuration,
}
