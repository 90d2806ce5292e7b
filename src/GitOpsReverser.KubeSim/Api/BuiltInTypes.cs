namespace GitOpsReverser.KubeSim.Api;

/// <summary>
/// The built-in kinds KubeSim serves, one row each: everything is stored generically, and this
/// table is all that distinguishes them. Status: has a <c>/status</c> subresource (the main
/// endpoint ignores status changes). Generation: <c>metadata.generation</c> is maintained.
/// </summary>
internal static class BuiltInTypes
{
    private static readonly string[] WorkloadFields = ["spec", "status"];

    public static IReadOnlyList<ResourceType> All { get; } =
    [
        Row("", "v1", "namespaces", "Namespace", cluster: true, shortNames: ["ns"], status: true, fields: ["spec", "status"]),
        Row("", "v1", "configmaps", "ConfigMap", shortNames: ["cm"], fields: ["data", "binaryData", "immutable"]),
        Row("", "v1", "secrets", "Secret", fields: ["data", "stringData", "type", "immutable"]),
        Row("", "v1", "serviceaccounts", "ServiceAccount", shortNames: ["sa"],
            fields: ["secrets", "imagePullSecrets", "automountServiceAccountToken"]) with
        {
            CreateSubresources = [new CreateSubresource("token", "authentication.k8s.io", "v1", "TokenRequest")],
        },
        Row("", "v1", "services", "Service", shortNames: ["svc"], status: true, categories: ["all"], fields: WorkloadFields),
        Row("", "v1", "pods", "Pod", shortNames: ["po"], status: true, categories: ["all"], fields: WorkloadFields),
        Row("", "v1", "persistentvolumeclaims", "PersistentVolumeClaim", shortNames: ["pvc"], status: true, fields: WorkloadFields),
        Row("", "v1", "events", "Event", shortNames: ["ev"],
            fields: ["involvedObject", "reason", "message", "source", "firstTimestamp", "lastTimestamp", "count", "type",
                "eventTime", "series", "action", "related", "reportingComponent", "reportingInstance"]),
        Row("apps", "v1", "deployments", "Deployment", shortNames: ["deploy"], status: true, generation: true,
            categories: ["all"], fields: WorkloadFields),
        Row("apps", "v1", "statefulsets", "StatefulSet", shortNames: ["sts"], status: true, generation: true,
            categories: ["all"], fields: WorkloadFields),
        Row("apps", "v1", "daemonsets", "DaemonSet", shortNames: ["ds"], status: true, generation: true,
            categories: ["all"], fields: WorkloadFields),
        Row("apps", "v1", "replicasets", "ReplicaSet", shortNames: ["rs"], status: true, generation: true,
            categories: ["all"], fields: WorkloadFields),
        Row("batch", "v1", "jobs", "Job", status: true, generation: true, categories: ["all"], fields: WorkloadFields),
        Row("batch", "v1", "cronjobs", "CronJob", shortNames: ["cj"], status: true, generation: true,
            categories: ["all"], fields: WorkloadFields),
        Row("networking.k8s.io", "v1", "ingresses", "Ingress", shortNames: ["ing"], status: true, generation: true,
            fields: WorkloadFields),
        Row("rbac.authorization.k8s.io", "v1", "roles", "Role", fields: ["rules"]),
        Row("rbac.authorization.k8s.io", "v1", "rolebindings", "RoleBinding", fields: ["subjects", "roleRef"]),
        Row("rbac.authorization.k8s.io", "v1", "clusterroles", "ClusterRole", cluster: true,
            fields: ["rules", "aggregationRule"]),
        Row("rbac.authorization.k8s.io", "v1", "clusterrolebindings", "ClusterRoleBinding", cluster: true,
            fields: ["subjects", "roleRef"]),
        Row("coordination.k8s.io", "v1", "leases", "Lease", fields: ["spec"]),
        Row("events.k8s.io", "v1", "events", "Event", shortNames: ["ev"],
            fields: ["eventTime", "series", "reportingController", "reportingInstance", "action", "reason", "regarding",
                "related", "note", "type", "deprecatedSource", "deprecatedFirstTimestamp", "deprecatedLastTimestamp",
                "deprecatedCount"]),
        Row("apiextensions.k8s.io", "v1", "customresourcedefinitions", "CustomResourceDefinition", cluster: true,
            shortNames: ["crd", "crds"], status: true, generation: true, fields: ["spec", "status"]),
        Row("admissionregistration.k8s.io", "v1", "validatingwebhookconfigurations", "ValidatingWebhookConfiguration",
            cluster: true, generation: true, fields: ["webhooks"]),
        Row("policy", "v1", "poddisruptionbudgets", "PodDisruptionBudget", shortNames: ["pdb"], status: true, generation: true,
            fields: WorkloadFields),
        Review("authorization.k8s.io", "selfsubjectaccessreviews", "SelfSubjectAccessReview"),
        Review("authentication.k8s.io", "selfsubjectreviews", "SelfSubjectReview"),
    ];

    /// <summary>Fields of ObjectMeta, checked by strict field validation for every kind.</summary>
    public static IReadOnlySet<string> ObjectMetaFields { get; } = new HashSet<string>(StringComparer.Ordinal)
    {
        "name", "generateName", "namespace", "selfLink", "uid", "resourceVersion", "generation", "creationTimestamp",
        "deletionTimestamp", "deletionGracePeriodSeconds", "labels", "annotations", "ownerReferences", "finalizers",
        "managedFields",
    };

    private static ResourceType Review(string group, string plural, string kind) =>
        Row(group, "v1", plural, kind, cluster: true, fields: ["spec", "status"]) with { Verbs = ["create"], IsReview = true };

    private static ResourceType Row(
        string group,
        string version,
        string plural,
        string kind,
        bool cluster = false,
        string[]? shortNames = null,
        bool status = false,
        bool generation = false,
        string[]? categories = null,
        string[]? fields = null) =>
        new(group, version, plural, kind.ToLowerInvariant(), kind, !cluster, shortNames ?? [], status, generation,
            IsCustom: false, categories ?? [])
        {
            KnownFields = new HashSet<string>(fields ?? [], StringComparer.Ordinal),
        };
}
