using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using GitOpsReverser.Api.Schema;

namespace GitOpsReverser.Api.V1Alpha1;

public sealed class NotificationsSpec
{
    [MaxLength(2048)]
    [ValidationRule(1, "self.contains('{sha}')", "commitUrl must hold {sha}, where each commit's id goes")]
    [ValidationRule(2, "self.matches('^https?://[^ ]+$')", "commitUrl must be an http(s) URL without spaces")]
    [DocumentedDefault("none (messages carry the commit id only)")]
    [Description("A link to each commit, `{sha}` replaced by its id: `https://git.example.com/org/repo/commit/{sha}`.")]
    public string? CommitUrl { get; set; }

    [RegularExpression(NamePatterns.Duration)]
    [DocumentedDefault("`5s`")]
    [Description("Commits pushed within this duration after the first go in one message per endpoint (`1s` to `10m`).")]
    public string? BatchWindow { get; set; }

    [RegularExpression(NamePatterns.Duration)]
    [DocumentedDefault("`10s`")]
    [Description("How long one attempt to deliver a message may take (`1s` to `1m`); a failed or timed-out attempt is retried 3 times, after 1, 2 and 4 seconds (with jitter).")]
    public string? Timeout { get; set; }

    [Required]
    [MinLength(1)]
    [MaxLength(16)]
    [ValidationRule(1, "self.all(e, self.exists_one(f, f.name == e.name))", "endpoints must have different names")]
    [Description("Where messages go, each endpoint at most once per batch.")]
    public List<NotificationEndpoint>? Endpoints { get; set; }
}

public sealed class NotificationEndpoint
{
    [Required]
    [MinLength(1)]
    [MaxLength(63)]
    [RegularExpression("^[a-z0-9]([-a-z0-9]*[a-z0-9])?$")]
    [Description("The endpoint's name, in metrics and status.")]
    public string? Name { get; set; }

    [Required]
    [Description("`Slack` (an incoming webhook), `Teams` (a Workflows webhook, an Adaptive Card), `Webhook` (generic JSON) or `CloudEvents` (a batch of CloudEvents 1.0 in structured mode).")]
    public NotificationType? Type { get; set; }

    [Required]
    [Description("The key of a Secret in this namespace holding the endpoint's URL (a webhook URL is a credential); a tenant's, only when its service account may `get` it.")]
    public SecretKeyReference? SecretRef { get; set; }

    [MaxLength(3)]
    [DocumentedDefault("all")]
    [Description("Only commits of these operations: `CREATE`, `UPDATE`, `DELETE`.")]
    [ListType("set")]
    public List<Operation>? Operations { get; set; }

    [MaxLength(64)]
    [ItemMaxLength(317)]
    [DocumentedDefault("all")]
    [Description("Only commits of these kinds: `Deployment`, or `Kind.group` (`Certificate.cert-manager.io`).")]
    public List<string>? Kinds { get; set; }
}

public enum NotificationType
{
    Slack,
    Teams,
    Webhook,
    CloudEvents,
}

public sealed class SecretKeyReference
{
    [Required]
    [MinLength(1)]
    [MaxLength(253)]
    [RegularExpression(NamePatterns.Subdomain)]
    public string? Name { get; set; }

    [MinLength(1)]
    [MaxLength(253)]
    [RegularExpression("^[-._a-zA-Z0-9]+$")]
    [DefaultValue("url")]
    public string? Key { get; set; }
}

public sealed class NotificationStatus
{
    [Description("The endpoint's name.")]
    public string? Name { get; set; }

    [Format("int64")]
    [Description("Messages delivered since the operator started.")]
    public long? Sent { get; set; }

    [Format("int64")]
    [Description("Commits left out of any message since the operator started: their message failed after its retries, or the queue was full.")]
    public long? Dropped { get; set; }

    [Format("date-time")]
    [Description("When the last message was delivered.")]
    public string? LastSentTime { get; set; }

    [Description("Why the last message that failed was not delivered; cleared by the next delivery.")]
    public string? LastError { get; set; }
}
