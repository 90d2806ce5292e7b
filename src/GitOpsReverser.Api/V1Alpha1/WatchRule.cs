using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using System.Text.Json.Serialization;
using GitOpsReverser.Api.Schema;

namespace GitOpsReverser.Api.V1Alpha1;

[CustomResource("WatchRule", "watchrules", "wr", namespaced: true)]
[Description("What to capture from the cluster into a GitRepoConfig of the same namespace.")]
[PrinterColumn(1, "Repo", "string", ".spec.gitRepoConfigRef")]
[PrinterColumn(2, "Ready", "string", ApiGroup.ReadyStatusPath)]
[PrinterColumn(3, "Reason", "string", ApiGroup.ReadyReasonPath)]
[PrinterColumn(4, "Tracked", "integer", ".status.trackedObjects")]
[PrinterColumn(5, "Resources", "string", ".status.resolvedResources", Priority = 1)]
[PrinterColumn(6, "Age", "date", ".metadata.creationTimestamp")]
public sealed class WatchRule : CustomResource<WatchRuleSpec, RuleStatus>;

[CustomResource("ClusterWatchRule", "clusterwatchrules", "cwr", namespaced: false)]
[Description("What to capture from the whole cluster, cluster-scoped kinds included, into a GitRepoConfig of any namespace.")]
[PrinterColumn(1, "Repo", "string", ".spec.gitRepoConfigRef.name")]
[PrinterColumn(2, "Ready", "string", ApiGroup.ReadyStatusPath)]
[PrinterColumn(3, "Reason", "string", ApiGroup.ReadyReasonPath)]
[PrinterColumn(4, "Tracked", "integer", ".status.trackedObjects")]
[PrinterColumn(5, "Resources", "string", ".status.resolvedResources", Priority = 1)]
[PrinterColumn(6, "Age", "date", ".metadata.creationTimestamp")]
public sealed class ClusterWatchRule : CustomResource<ClusterWatchRuleSpec, RuleStatus>;

public sealed class WatchRuleSpec : RuleSpec
{
    [JsonPropertyOrder(-1)]
    [Required]
    [MinLength(1)]
    [MaxLength(253)]
    [RegularExpression(NamePatterns.Subdomain)]
    [Description("The name of a GitRepoConfig in the same namespace.")]
    public string? GitRepoConfigRef { get; set; }
}

public sealed class ClusterWatchRuleSpec : RuleSpec
{
    [JsonPropertyOrder(-1)]
    [Required]
    [Description("The GitRepoConfig, by `name` and `namespace`.")]
    public GitRepoConfigReference? GitRepoConfigRef { get; set; }
}

public sealed class GitRepoConfigReference
{
    [Required]
    [MinLength(1)]
    [MaxLength(253)]
    [RegularExpression(NamePatterns.Subdomain)]
    public string? Name { get; set; }

    [Required]
    [MinLength(1)]
    [MaxLength(63)]
    [RegularExpression(NamePatterns.Label)]
    public string? Namespace { get; set; }
}

/// <summary>What WatchRules and ClusterWatchRules share: everything but how they name their GitRepoConfig.</summary>
public abstract class RuleSpec
{
    [Required]
    [MinLength(1)]
    [Description("Kinds to capture: `apiVersion` and `kind`, either may be `*`. Discovery reads every served version of every group, as `kubectl api-resources` does: `apiVersion: \"*\"` captures each kind once, in the group's preferred version when that version serves it, otherwise in the highest-priority version that does (GA, then beta, then alpha), so a group serving some kinds only in `v1` and others only in `v1alpha1` (prometheus-operator's `monitoring.coreos.com`, the Gateway API) is captured whole. A named `apiVersion` (`monitoring.coreos.com/v1alpha1`) is watched in exactly that version, served or not preferred. `kind: \"*\"` leaves out Events (both groups), Pods, ReplicaSets, Endpoints, EndpointSlices, Leases and ControllerRevisions unless they are named. A CRD installed later is picked up within seconds; a removed one (or a version no longer served) stops and the rule says so.")]
    public List<ResourceSelector>? Resources { get; set; }

    [DocumentedDefault("every namespace")]
    [Description("A label selector on namespaces: their objects are captured. Refused on a tenant's WatchRule (outside the operator's namespace), which captures its own namespace only.")]
    public LabelSelector? NamespaceSelector { get; set; }

    [DocumentedDefault("every object")]
    [Description("A label selector on the objects themselves: only objects it matches are captured (an object that stops matching is treated as deleted: its file goes). Beside `namespaceSelector`, which picks namespaces.")]
    public LabelSelector? ObjectSelector { get; set; }

    [DocumentedDefault("nothing excluded")]
    [Description("A label selector: objects it matches are not captured (and their file goes, if one was written).")]
    public LabelSelector? ExcludeLabels { get; set; }

    [ListType("set")]
    [DocumentedDefault("all")]
    [Description("Which of `CREATE`, `UPDATE`, `DELETE` are committed. The others are still seen: a later resync writes the cluster's state.")]
    public List<Operation>? Operations { get; set; }

    [DocumentedDefault("the GitRepoConfig's `secretPolicy`, else the operator's `Sanitizer:SecretPolicy` (`Fingerprint`)")]
    [Description("`Fingerprint` (`hmac-sha256:…`, keyed per installation), `Redact`, `Skip` or `Encrypt` ([SOPS and age](../../operator/encrypted-secrets.md), needs the GitRepoConfig's recipients), for Secrets and other [sensitive kinds](../../design/sanitizer.md#secrets). No readable Secret value ever reaches Git or the logs.")]
    public SecretPolicy? SecretPolicy { get; set; }

    [DocumentedDefault("none")]
    [Description("Changes last written by these field managers (`argocd-controller`, `kustomize-controller`, `helm-controller`) are not committed: hybrid GitOps without ping-pong.")]
    public List<string>? ExcludeFieldManagers { get; set; }

    [DocumentedDefault("none")]
    [Description("Changes made by these users (Kubernetes usernames, such as `system:serviceaccount:flux-system:kustomize-controller`) are not committed; needs [attribution](../../operator/attribution.md) (without it no user is known and nothing is excluded this way).")]
    public List<string>? ExcludeUsers { get; set; }

    [DocumentedDefault("none")]
    [Description("Changes made by members of these groups are not committed; needs [attribution](../../operator/attribution.md).")]
    public List<string>? ExcludeGroups { get; set; }

    [DocumentedDefault("`false`")]
    [Description("With `kind: \"*\"`, also capture objects a controller owns (`ownerReferences[].controller: true`), such as the ConfigMaps an operator generates. Named kinds always include them.")]
    public bool? IncludeOwned { get; set; }

    [MaxLength(64)]
    [DocumentedDefault("the GitRepoConfig's `ignoreFields`")]
    [Description(IgnoreFieldsEntry.Meaning)]
    public List<IgnoreFieldsEntry>? IgnoreFields { get; set; }

    [ListType("set")]
    [DocumentedDefault("none")]
    [Description("What the cluster makes for itself, which every rule leaves out by default ([Capture](../../design/capture.md#what-the-cluster-makes-for-itself-stays-out)), to capture anyway: any of `clusterDefaults`, `bootstrapRbac`, `flowControlDefaults`, `helmReleases`, `serviceAccountTokens`.")]
    public List<NoiseCategory>? Include { get; set; }
}

/// <summary>Fields of one group and kind that are not changes: not written, and no commit when only they change.</summary>
[ValidationRule(1, "(has(self.jsonPointers) && size(self.jsonPointers) > 0) || (has(self.managers) && size(self.managers) > 0)",
    "an ignoreFields entry needs jsonPointers or managers")]
public sealed class IgnoreFieldsEntry
{
    public const string Meaning = "Fields that are not changes, per `group` and `kind`: those at the `jsonPointers` (RFC 6901, such as `/spec/replicas`) and those the `managers` own in the object's `managedFields` (an HPA's `kube-controller-manager`, cert-manager's `cainjector`) are not written, and a change to them alone makes no commit, as Argo CD's `ignoreDifferences` with `managedFieldsManagers` does. An entry that matches no object is named in the rule's status (`ignoreFieldsUnmatched`).";

    [MaxLength(253)]
    [DocumentedDefault("`\"\"` (the core group)")]
    [Description("The API group (`apps`), `\"\"` for the core group, `*` for any.")]
    public string? Group { get; set; }

    [Required]
    [MinLength(1)]
    [MaxLength(63)]
    [Description("The kind (`Deployment`), `*` for any.")]
    public string? Kind { get; set; }

    [MaxLength(32)]
    [ItemMaxLength(1024)]
    [ValidationRule(1, "self.startsWith('/')", "a JSON pointer starts with / (such as /spec/replicas)", OnItems = true)]
    [DocumentedDefault("none")]
    [Description("JSON pointers (RFC 6901; `~1` for `/`, `~0` for `~`) of fields left out; a number indexes a list.")]
    public List<string>? JsonPointers { get; set; }

    [MaxLength(16)]
    [ItemMaxLength(128)]
    [DocumentedDefault("none")]
    [Description("Field managers whose fields (by the object's `managedFields`) are left out.")]
    public List<string>? Managers { get; set; }
}

public sealed class ResourceSelector
{
    [Required]
    [MinLength(1)]
    [MaxLength(316)]
    public string? ApiVersion { get; set; }

    [Required]
    [MinLength(1)]
    [MaxLength(63)]
    public string? Kind { get; set; }
}

public sealed class LabelSelector
{
    public Dictionary<string, string>? MatchLabels { get; set; }

    [MaxLength(64)]
    public List<LabelSelectorRequirement>? MatchExpressions { get; set; }
}

[ValidationRule(1, "self.operator in ['In', 'NotIn'] ? has(self.values) && size(self.values) > 0 : !has(self.values) || size(self.values) == 0",
    "operator In and NotIn need values; Exists and DoesNotExist take none")]
public sealed class LabelSelectorRequirement
{
    [Required]
    [MinLength(1)]
    [MaxLength(317)]
    public string? Key { get; set; }

    [Required]
    public SelectorOperator? Operator { get; set; }

    [ItemMaxLength(63)]
    public List<string>? Values { get; set; }
}

public enum SelectorOperator
{
    In,
    NotIn,
    Exists,
    DoesNotExist,
}

public enum Operation
{
    [JsonStringEnumMemberName("CREATE")]
    Create,
    [JsonStringEnumMemberName("UPDATE")]
    Update,
    [JsonStringEnumMemberName("DELETE")]
    Delete,
}

/// <summary>What a cluster makes for itself, left out of every rule unless its <c>include</c> names it.</summary>
public enum NoiseCategory
{
    [JsonStringEnumMemberName("clusterDefaults")]
    ClusterDefaults,
    [JsonStringEnumMemberName("bootstrapRbac")]
    BootstrapRbac,
    [JsonStringEnumMemberName("flowControlDefaults")]
    FlowControlDefaults,
    [JsonStringEnumMemberName("helmReleases")]
    HelmReleases,
    [JsonStringEnumMemberName("serviceAccountTokens")]
    ServiceAccountTokens,
}

public sealed class RuleStatus : IReportedStatus
{
    [Format("int64")]
    [Range(0, long.MaxValue)]
    [Description("The generation of the spec this status describes.")]
    public long? ObservedGeneration { get; set; }

    [Description("Each resource with the version it is watched in, for example `configmaps/v1`, `deployments.apps/v1`, `gizmos.example.com/v1beta1`: a kind missing here is not captured.")]
    public List<string>? ResolvedResources { get; set; }

    [Description("Objects of this rule's kinds and namespaces in the repository.")]
    public int? TrackedObjects { get; set; }

    [Description("The `ignoreFields` entries (the rule's, else its GitRepoConfig's) that matched no object since the operator began applying that list (its start, or the list's last change), once the first sync is done, as `group/kind: what`.")]
    public List<string>? IgnoreFieldsUnmatched { get; set; }

    [Description("`Ready`, with the reasons in [Conditions](conditions.md#ready-reasons); a reason of letters, digits, `_`, `,` and `:`, a message of at most 32 KiB.")]
    public List<Condition>? Conditions { get; set; }
}
