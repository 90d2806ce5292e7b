using GitOpsReverser.Git.Clone;
using GitOpsReverser.Git.Messages;
using GitOpsReverser.Git.Transport;
namespace GitOpsReverser.Git;

/// <summary>One repository configuration: where to push, as whom, and how to batch.</summary>
internal sealed record RepoWorkerOptions
{
    /// <summary>A stable name for the local clone's folder (<c>&lt;DataDirectory&gt;/repos/&lt;Id&gt;</c>).</summary>
    public required string Id { get; init; }

    /// <summary>How metrics name the repository: its GitRepoConfig's <c>namespace/name</c> (default: <see cref="Id"/>).</summary>
    public string? Repository { get; init; }

    /// <summary>The <c>repository</c> label of this worker's metrics.</summary>
    public string MetricsLabel => Repository ?? Id;

    /// <summary>A local path, <c>file://</c>, <c>https://</c> or <c>http://</c> URL.</summary>
    public required string Url { get; init; }

    /// <summary>The branch to commit to. Default <c>main</c>.</summary>
    public string Branch { get; init; } = "main";

    public GitCredentials Credentials { get; init; } = GitCredentials.None;

    /// <summary>Signs every commit (<c>commit.signing</c>); null: commits are not signed.</summary>
    public SshCommitSigner? Signer { get; init; }

    /// <summary>Where local clones live (a PVC in production).</summary>
    public required string DataDirectory { get; init; }

    /// <summary>Committer name, and the author when the change's user is unknown. Default <c>GitOps Reverser</c>.</summary>
    public string CommitterName { get; init; } = "GitOps Reverser";

    /// <summary>Committer email. Default <c>gitops-reverser@localhost</c>.</summary>
    public string CommitterEmail { get; init; } = "gitops-reverser@localhost";

    /// <summary>
    /// The author e-mail's domain for a user whose name is not an address (<c>system:serviceaccount:ns:sa</c>
    /// becomes <c>system:serviceaccount:ns:sa@cluster.local</c>). Default <c>cluster.local</c>.
    /// </summary>
    public string UserEmailDomain { get; init; } = "cluster.local";

    /// <summary>The commit message template; null for the default message.</summary>
    public CommitMessageTemplate? MessageTemplate { get; init; }

    /// <summary>Zero: one commit per change (default). Otherwise changes arriving within this window share one commit.</summary>
    public TimeSpan CommitWindow { get; init; }

    /// <summary>Push once no commit has been made for this long. Default 1 s.</summary>
    public TimeSpan PushQuietWindow { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Push at the latest when this many commits are waiting. Default 50.</summary>
    public int PushMaxCommits { get; init; } = 50;

    /// <summary>Push at the latest this long after the oldest unpushed commit. Default 10 s.</summary>
    public TimeSpan PushMaxDelay { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// How many bytes of changes (their content, roughly) may wait to be committed before changes to one object
    /// are folded into one commit. Default 64 MiB.
    /// </summary>
    public long QueueBytes { get; init; } = 64L * 1024 * 1024;

    /// <summary>After a successful push, pack the clone once this many commits were made since the last packing. Default 10,000.</summary>
    public int CompactAfterCommits { get; init; } = 10_000;

    /// <summary>
    /// After a successful push, pack the clone once roughly this many bytes of loose objects were written since the
    /// last packing (a folder of 100,000 files writes a 4 MB tree per commit). Default 256 MiB.
    /// </summary>
    public long CompactAfterLooseBytes { get; init; } = 256L * 1024 * 1024;

    /// <summary>How long to wait before pushing again after an authentication, trust or configuration error. Default 60 s.</summary>
    public TimeSpan PermanentFailureRetry { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>
    /// Told after each successful push: the remote's branch head before it (null: the branch was new) and after it.
    /// Called on the worker's loop: it must only take note, never wait.
    /// </summary>
    public Action<string?, string>? Pushed { get; init; }
}
