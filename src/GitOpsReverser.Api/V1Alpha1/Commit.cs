using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using GitOpsReverser.Api.Schema;

namespace GitOpsReverser.Api.V1Alpha1;

[ValidationRule(1, "self.mode != 'Window' || has(self.window)", "commit.mode Window needs commit.window (for example 5s)")]
[ValidationRule(2, "self.mode == 'Window' || !has(self.window)", "commit.window is used only with commit.mode Window", FieldPath = ".window")]
public sealed class CommitSpec
{
    [DocumentedDefault("`GitOps Reverser`, `gitops-reverser@localhost`")]
    [Description("The committer (the author is the user who made the change, when known).")]
    public Committer? Committer { get; set; }

    [DocumentedDefault("none (unsigned)")]
    [Description("Sign every commit with an SSH key (git's `gpg.format ssh`), so that a rewritten or injected commit is detectable: see [signed commits](../../operator/signed-commits.md).")]
    public SigningSpec? Signing { get; set; }

    [MaxLength(4096)]
    [DocumentedDefault("the [default message](../../operator/commit-messages.md)")]
    [Description("Placeholders `{operation}` `{kind}` `{name}` `{namespace}` `{user}` `{manager}` `{groups}` `{timestamp}` `{resourceVersion}` `{apiVersion}`.")]
    public string? MessageTemplate { get; set; }

    [MaxLength(253)]
    [RegularExpression("^[A-Za-z0-9]([-A-Za-z0-9]*[A-Za-z0-9])?(\\.[A-Za-z0-9]([-A-Za-z0-9]*[A-Za-z0-9])?)*$")]
    [DocumentedDefault("`cluster.local`")]
    [Description("The author e-mail's domain for a user whose name is not an address (a domain name).")]
    public string? UserEmailDomain { get; set; }

    [DefaultValue(CommitMode.PerChange)]
    [Description("`PerChange`: one commit per change; `Window`: changes arriving within `commit.window` share one `[BATCH]` commit.")]
    public CommitMode? Mode { get; set; }

    [RegularExpression(NamePatterns.Duration)]
    [DocumentedDefault("required with `Window`, refused without it")]
    [Description("With mode `Window`, changes arriving within this duration (`500ms`, `5s`, `1m30s`) share one commit.")]
    public string? Window { get; set; }
}

public enum CommitMode
{
    PerChange,
    Window,
}

public sealed class Committer
{
    [MaxLength(256)]
    public string? Name { get; set; }

    [MaxLength(256)]
    public string? Email { get; set; }
}

public sealed class SigningSpec
{
    [Required]
    [Description("A Secret in this namespace whose `ssh-privatekey` is an Ed25519 key without a passphrase (OpenSSH or PKCS#8); a tenant's, only when its service account may `get` it.")]
    public LocalObjectReference? SecretRef { get; set; }
}

public sealed class PushSpec
{
    [RegularExpression(NamePatterns.Duration)]
    [DocumentedDefault("`10s`")]
    [Description("A duration; push at the latest this long after the oldest unpushed commit (a push also happens after 1 s without commits).")]
    public string? Interval { get; set; }

    [Range(1, 10000)]
    [DocumentedDefault("`50`")]
    [Description("Push at the latest when this many commits wait; a push carries at most this many.")]
    public int? MaxCommits { get; set; }
}

public sealed class GitRepoConfigStatus : IReportedStatus
{
    [Format("int64")]
    [Range(0, long.MaxValue)]
    [Description("The generation of the spec this status describes.")]
    public long? ObservedGeneration { get; set; }

    [Description("The repository URL with anything that looks like a credential shown as `***`.")]
    public string? Url { get; set; }

    [Description("The newest commit's id (the branch head).")]
    public string? LastCommit { get; set; }

    [Description("The newest commit's id, abbreviated to 7 characters.")]
    public string? LastCommitShort { get; set; }

    [Format("date-time")]
    [Description("When the last push succeeded.")]
    public string? LastPushTime { get; set; }

    [Description("Commits made and not yet pushed.")]
    public int? PendingCommits { get; set; }

    [Description("Changes received and not yet committed.")]
    public int? QueuedChanges { get; set; }

    [Description("With `commit.signing`: the public half of the key commits are signed with, `ssh-ed25519 AAAA… gitops-reverser/<namespace>/<name>`, to register as a signing key.")]
    public string? SigningKey { get; set; }

    [Format("int64")]
    [Description("Changes folded into an earlier change to the same object since the operator started, because the queue was past `Operator:QueueBytes` (see [the guarantee](../../design/audit-trail.md#the-audit-trails-guarantee)).")]
    public long? CoalescedChanges { get; set; }

    [Description("Each notification endpoint's deliveries since the operator started.")]
    public List<NotificationStatus>? Notifications { get; set; }

    [Description("`Ready`, with the reasons in [Conditions](conditions.md#ready-reasons).")]
    public List<Condition>? Conditions { get; set; }
}
