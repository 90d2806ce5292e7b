using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using GitOpsReverser.Api.Schema;

namespace GitOpsReverser.Api.V1Alpha1;

[CustomResource("GitRepoConfig", "gitrepoconfigs", "grc", namespaced: true)]
[Description("A Git repository GitOps Reverser commits to, and how.")]
[PrinterColumn(1, "URL", "string", ".status.url")]
[PrinterColumn(2, "Branch", "string", ".spec.branch")]
[PrinterColumn(3, "Ready", "string", ApiGroup.ReadyStatusPath)]
[PrinterColumn(4, "Last Commit", "string", ".status.lastCommitShort")]
[PrinterColumn(5, "Pending", "integer", ".status.pendingCommits")]
[PrinterColumn(6, "Age", "date", ".metadata.creationTimestamp")]
[PrinterColumn(7, "Reason", "string", ApiGroup.ReadyReasonPath, Priority = 1)]
[PrinterColumn(8, "Last Push", "date", ".status.lastPushTime", Priority = 1)]
[PrinterColumn(9, "Coalesced", "integer", ".status.coalescedChanges", Priority = 1)]
public sealed class GitRepoConfig : CustomResource<GitRepoConfigSpec, GitRepoConfigStatus>;

[ValidationRule(1,
    "!has(self.secretPolicy) || self.secretPolicy != 'Encrypt' || (has(self.encryption) && has(self.encryption.age) && ((has(self.encryption.age.recipients) && size(self.encryption.age.recipients) > 0) || has(self.encryption.age.recipientsRef)))",
    "secretPolicy Encrypt needs encryption.age.recipients or encryption.age.recipientsRef", FieldPath = ".secretPolicy")]
public sealed class GitRepoConfigSpec
{
    // Rules rather than a pattern: a refused value is never echoed back, and a URL may hold a token.
    [Required]
    [MinLength(1)]
    [MaxLength(2048)]
    [ValidationRule(1, "self.matches('^[A-Za-z][A-Za-z0-9+.-]*://[^ ]+$') || self.matches('^[/.~][^ ]*$') || self.matches('^[^ /:]+:[^ ]+$')",
        "url must be https://host/path, ssh://user@host[:port]/path, user@host:path or a local path, without spaces")]
    [ValidationRule(2, "!self.matches('^[Hh][Tt][Tt][Pp][Ss]?://[^/?#]*@') && !self.matches('^[Hh][Tt][Tt][Pp][Ss]?://[^?#]*[?#]') && !self.matches('^([A-Za-z][A-Za-z0-9+.-]*://)?[^/:@]*:[^/@]*@')",
        "url must carry no credentials (user info of an http(s) URL, a password, a query string or fragment): they belong in the Secret named by secretRef")]
    [Description("`https://…`, `http://…`, `ssh://user@host[:port]/path` or `user@host:path`. **No credentials**: a URL with user info (http(s)), a password (SSH, either form) or a query string or fragment (http(s), where `?access_token=` hides) is refused at `kubectl apply` (`url must carry no credentials …`, without the URL) and, past older CRDs, by the operator (`CredentialsInUrl`); it is never used: credentials belong in `secretRef`. A URL must look like one of the forms above or a local path, without spaces. Local paths and `file://` only with `--allow-local-repositories` (tests, playgrounds): a tenant must not point the operator at its own disk.")]
    public string? Url { get; set; }

    [DefaultValue("main")]
    [MaxLength(1024)]
    [RegularExpression(@"^[^\s~^:?*\[\\]+$")]
    [Description("The branch to commit to (created on the first push when the remote has none); a name `git check-ref-format --branch` accepts (no `..`, `@{`, `//`, space, `~ ^ : ? * [ \\`, control characters, part starting with `.` or ending in `.lock`, not `HEAD`), each part at most 255 bytes.")]
    public string? Branch { get; set; }

    [MaxLength(253)]
    [RegularExpression(NamePatterns.Subdomain)]
    [DocumentedDefault("`--default-service-account` (`default`)")]
    [Description("Outside the operator's namespace: the service account of this namespace whose RBAC decides what the operator reads for this repository: its `secretRef`, its `recipientsRef`, and every kind its rules capture, in every namespace they capture ([Security](../../operator/security.md)). Ignored in the operator's namespace.")]
    public string? ServiceAccountName { get; set; }

    [Description("A Secret in the same namespace with `username` + `password` or `bearerToken`, `caFile`, `ssh-privatekey` (or `identity`) + `known_hosts` (the key names Flux and Argo CD use). A changed Secret takes effect at the next reconcile (at most 10 s). A tenant's GitRepoConfig: only when its service account may `get` it ([Security](../../operator/security.md)).")]
    public LocalObjectReference? SecretRef { get; set; }

    [MaxLength(1024)]
    [RegularExpression("^/?([A-Za-z0-9._-]+/?)*$")]
    [DocumentedDefault("repository root")]
    [Description("Where the [layout](../../design/repository-layout.md) starts, for example `clusters/prod` (several clusters in one repository): folder names of `[A-Za-z0-9._-]`, none starting with `.git` in any case, ending in `.`, or a Windows device name, each at most 255 characters.")]
    public string? BaseFolder { get; set; }

    [DocumentedDefault("the operator's `Sanitizer:SecretPolicy` (`Fingerprint`)")]
    [Description("The [Secret policy](../../design/sanitizer.md#secrets) of rules that set none: `Fingerprint`, `Redact`, `Skip` or `Encrypt` (needs `encryption.age`).")]
    public SecretPolicy? SecretPolicy { get; set; }

    [MaxLength(64)]
    [DocumentedDefault("none")]
    [Description("The `ignoreFields` of rules that set none. " + IgnoreFieldsEntry.Meaning)]
    public List<IgnoreFieldsEntry>? IgnoreFields { get; set; }

    [Description("How Secrets are encrypted under `secretPolicy: Encrypt`, as SOPS files that Flux and `sops -d` read back.")]
    public EncryptionSpec? Encryption { get; set; }

    public CommitSpec? Commit { get; set; }

    public PushSpec? Push { get; set; }

    [DocumentedDefault("none")]
    [Description("Tell people when something changes: a message per batch of pushed commits to Slack, Microsoft Teams, a generic JSON webhook or a CloudEvents receiver ([notifications](../../operator/notifications.md)). Delivery never holds commits back.")]
    public NotificationsSpec? Notifications { get; set; }
}

public enum SecretPolicy
{
    Fingerprint,
    Redact,
    Skip,
    Encrypt,
}

public sealed class EncryptionSpec
{
    public AgeSpec? Age { get; set; }
}

public sealed class AgeSpec
{
    // A rule rather than a pattern: a private key pasted here by mistake is never echoed back.
    [MaxLength(100)]
    [ItemMaxLength(128)]
    [ValidationRule(1, "self.matches('^age1[02-9ac-hj-np-z]{58}$')",
        "an age recipient looks like age1 and 58 more characters (age-keygen -y prints it); never a private key", OnItems = true)]
    [Description("age public keys (`age1…`, from `age-keygen`) that Secrets are [encrypted](../../operator/encrypted-secrets.md) for under `Encrypt`, each `age1` and 58 characters of its alphabet (the operator also checks the checksum); the operator holds no private key.")]
    public List<string>? Recipients { get; set; }

    [Description("A ConfigMap or Secret key in this namespace holding more recipients, one per line, `#` comments allowed. Read at every reconcile; a change re-encrypts every Secret in one `[RESYNC]` commit. The operator's RBAC reads ConfigMaps everywhere and Secrets in its own namespace (`rbac.readSecrets` for others); a tenant's GitRepoConfig, only when its service account may `get` it.")]
    public RecipientsReference? RecipientsRef { get; set; }
}

public sealed class RecipientsReference
{
    [DefaultValue(RecipientsKind.ConfigMap)]
    public RecipientsKind? Kind { get; set; }

    [Required]
    [MinLength(1)]
    [MaxLength(253)]
    [RegularExpression(NamePatterns.Subdomain)]
    public string? Name { get; set; }

    [Required]
    [MinLength(1)]
    [MaxLength(253)]
    [RegularExpression("^[-._a-zA-Z0-9]+$")]
    public string? Key { get; set; }
}

public enum RecipientsKind
{
    ConfigMap,
    Secret,
}
