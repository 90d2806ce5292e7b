namespace GitOpsReverser.KubeSim.Api;

/// <summary>
/// The built-in resources of a fresh Kubernetes 1.34 cluster, as <c>kubectl api-resources</c> lists them,
/// one row each: everything is stored generically, and this table is all that distinguishes them. Status:
/// has a <c>/status</c> subresource (the main endpoint ignores status changes). Generation:
/// <c>metadata.generation</c> is maintained. Deleted: the registry answers a DELETE with the object
/// (<c>ReturnDeletedObject</c> in the Kubernetes source). Subresources a kubelet or controller serves
/// (<c>log</c>, <c>exec</c>, <c>scale</c>, <c>eviction</c>, …) are deliberately absent.
/// </summary>
internal static class BuiltInTypes
{
    private static readonly string[] SpecStatus = ["spec", "status"];
    private static readonly string[] Spec = ["spec"];
    private static readonly string[] InAll = ["all"];
    private static readonly string[] ApiExtensions = ["api-extensions"];

    public static IReadOnlyList<ResourceType> All { get; } =
    [
        // core/v1
        Row("", "v1", "bindings", "Binding", fields: ["target"]) with { Verbs = ["create"], IsReview = true },
        Row("", "v1", "componentstatuses", "ComponentStatus", cluster: true, shortNames: ["cs"], fields: ["conditions"]) with { Verbs = ["get", "list"] },
        Row("", "v1", "configmaps", "ConfigMap", shortNames: ["cm"], fields: ["data", "binaryData", "immutable"]),
        Row("", "v1", "endpoints", "Endpoints", shortNames: ["ep"], fields: ["subsets"]),
        Row("", "v1", "events", "Event", shortNames: ["ev"],
            fields: ["involvedObject", "reason", "message", "source", "firstTimestamp", "lastTimestamp", "count", "type",
                "eventTime", "series", "action", "related", "reportingComponent", "reportingInstance"]),
        Row("", "v1", "limitranges", "LimitRange", shortNames: ["limits"], fields: Spec),
        Row("", "v1", "namespaces", "Namespace", cluster: true, shortNames: ["ns"], status: true, fields: SpecStatus) with { NameRule = NameRule.Label, ReturnsDeletedObject = true },
        Row("", "v1", "nodes", "Node", cluster: true, shortNames: ["no"], status: true, fields: SpecStatus) with { KeepsStatusOnCreate = true },
        Row("", "v1", "persistentvolumeclaims", "PersistentVolumeClaim", shortNames: ["pvc"], status: true, fields: SpecStatus),
        Row("", "v1", "persistentvolumes", "PersistentVolume", cluster: true, shortNames: ["pv"], status: true, fields: SpecStatus),
        Row("", "v1", "pods", "Pod", shortNames: ["po"], status: true, categories: InAll, fields: SpecStatus) with
        {
            ReturnsDeletedObject = true,
            Subresources = [Subresource.Exec, Subresource.Log],
        },
        Row("", "v1", "podtemplates", "PodTemplate", fields: ["template"]) with { ReturnsDeletedObject = true },
        Row("", "v1", "replicationcontrollers", "ReplicationController", shortNames: ["rc"], status: true, generation: true, categories: InAll,
            fields: SpecStatus),
        Row("", "v1", "resourcequotas", "ResourceQuota", shortNames: ["quota"], status: true, fields: SpecStatus) with { ReturnsDeletedObject = true },
        Row("", "v1", "secrets", "Secret", fields: ["data", "stringData", "type", "immutable"]),
        Row("", "v1", "serviceaccounts", "ServiceAccount", shortNames: ["sa"], fields: ["secrets", "imagePullSecrets", "automountServiceAccountToken"]) with
        {
            Subresources = [Subresource.Token],
            ReturnsDeletedObject = true,
        },
        Row("", "v1", "services", "Service", shortNames: ["svc"], status: true, categories: InAll, fields: SpecStatus) with
        {
            NameRule = NameRule.Rfc1035Label,
            ReturnsDeletedObject = true,
        },

        // admissionregistration.k8s.io/v1
        Row("admissionregistration.k8s.io", "v1", "mutatingwebhookconfigurations", "MutatingWebhookConfiguration", cluster: true, generation: true,
            categories: ApiExtensions, fields: ["webhooks"]),
        Row("admissionregistration.k8s.io", "v1", "validatingadmissionpolicies", "ValidatingAdmissionPolicy", cluster: true, status: true, generation: true,
            categories: ApiExtensions, fields: SpecStatus),
        Row("admissionregistration.k8s.io", "v1", "validatingadmissionpolicybindings", "ValidatingAdmissionPolicyBinding", cluster: true, generation: true,
            categories: ApiExtensions, fields: Spec),
        Row("admissionregistration.k8s.io", "v1", "validatingwebhookconfigurations", "ValidatingWebhookConfiguration", cluster: true, generation: true,
            categories: ApiExtensions, fields: ["webhooks"]),

        // apiextensions.k8s.io/v1, apiregistration.k8s.io/v1
        Row("apiextensions.k8s.io", "v1", "customresourcedefinitions", "CustomResourceDefinition", cluster: true,
            shortNames: ["crd", "crds"], status: true, generation: true, categories: ApiExtensions, fields: SpecStatus),
        Row("apiregistration.k8s.io", "v1", "apiservices", "APIService", cluster: true, status: true, categories: ApiExtensions, fields: SpecStatus),

        // apps/v1
        Row("apps", "v1", "controllerrevisions", "ControllerRevision", fields: ["data", "revision"]),
        Row("apps", "v1", "daemonsets", "DaemonSet", shortNames: ["ds"], status: true, generation: true, categories: InAll, fields: SpecStatus),
        Row("apps", "v1", "deployments", "Deployment", shortNames: ["deploy"], status: true, generation: true, categories: InAll, fields: SpecStatus) with { Subresources = [Subresource.Scale] },
        Row("apps", "v1", "replicasets", "ReplicaSet", shortNames: ["rs"], status: true, generation: true, categories: InAll, fields: SpecStatus) with { Subresources = [Subresource.Scale] },
        Row("apps", "v1", "statefulsets", "StatefulSet", shortNames: ["sts"], status: true, generation: true, categories: InAll, fields: SpecStatus) with { Subresources = [Subresource.Scale] },

        // authentication.k8s.io/v1, authorization.k8s.io/v1: created and answered, never stored
        Review("authentication.k8s.io", "selfsubjectreviews", "SelfSubjectReview"),
        Review("authentication.k8s.io", "tokenreviews", "TokenReview"),
        Review("authorization.k8s.io", "localsubjectaccessreviews", "LocalSubjectAccessReview", cluster: false),
        Review("authorization.k8s.io", "selfsubjectaccessreviews", "SelfSubjectAccessReview"),
        Review("authorization.k8s.io", "selfsubjectrulesreviews", "SelfSubjectRulesReview"),
        Review("authorization.k8s.io", "subjectaccessreviews", "SubjectAccessReview"),

        // autoscaling/v2 (preferred) and v1, batch/v1
        Row("autoscaling", "v2", "horizontalpodautoscalers", "HorizontalPodAutoscaler", shortNames: ["hpa"], status: true, categories: InAll, fields: SpecStatus),
        Row("autoscaling", "v1", "horizontalpodautoscalers", "HorizontalPodAutoscaler", shortNames: ["hpa"], status: true, categories: InAll, fields: SpecStatus),
        Row("batch", "v1", "cronjobs", "CronJob", shortNames: ["cj"], status: true, generation: true, categories: InAll, fields: SpecStatus),
        Row("batch", "v1", "jobs", "Job", status: true, generation: true, categories: InAll, fields: SpecStatus),

        // certificates.k8s.io/v1, coordination.k8s.io/v1, discovery.k8s.io/v1, events.k8s.io/v1
        Row("certificates.k8s.io", "v1", "certificatesigningrequests", "CertificateSigningRequest", cluster: true, shortNames: ["csr"], status: true,
            fields: SpecStatus),
        Row("coordination.k8s.io", "v1", "leases", "Lease", fields: Spec),
        Row("discovery.k8s.io", "v1", "endpointslices", "EndpointSlice", fields: ["addressType", "endpoints", "ports"]),
        Row("events.k8s.io", "v1", "events", "Event", shortNames: ["ev"],
            fields: ["eventTime", "series", "reportingController", "reportingInstance", "action", "reason", "regarding",
                "related", "note", "type", "deprecatedSource", "deprecatedFirstTimestamp", "deprecatedLastTimestamp",
                "deprecatedCount"]),

        // flowcontrol.apiserver.k8s.io/v1
        Row("flowcontrol.apiserver.k8s.io", "v1", "flowschemas", "FlowSchema", cluster: true, status: true, generation: true, fields: SpecStatus),
        Row("flowcontrol.apiserver.k8s.io", "v1", "prioritylevelconfigurations", "PriorityLevelConfiguration", cluster: true, status: true,
            generation: true, fields: SpecStatus),

        // networking.k8s.io/v1, node.k8s.io/v1, policy/v1
        Row("networking.k8s.io", "v1", "ingressclasses", "IngressClass", cluster: true, fields: Spec),
        Row("networking.k8s.io", "v1", "ingresses", "Ingress", shortNames: ["ing"], status: true, generation: true, fields: SpecStatus),
        Row("networking.k8s.io", "v1", "ipaddresses", "IPAddress", cluster: true, shortNames: ["ip"], fields: Spec),
        Row("networking.k8s.io", "v1", "networkpolicies", "NetworkPolicy", shortNames: ["netpol"], generation: true, fields: Spec),
        Row("networking.k8s.io", "v1", "servicecidrs", "ServiceCIDR", cluster: true, status: true, fields: SpecStatus),
        Row("node.k8s.io", "v1", "runtimeclasses", "RuntimeClass", cluster: true, fields: ["handler", "overhead", "scheduling"]),
        Row("policy", "v1", "poddisruptionbudgets", "PodDisruptionBudget", shortNames: ["pdb"], status: true, generation: true, fields: SpecStatus),

        // rbac.authorization.k8s.io/v1: names only need to be path segments ("system:discovery")
        Rbac("clusterrolebindings", "ClusterRoleBinding", cluster: true, fields: ["subjects", "roleRef"]),
        Rbac("clusterroles", "ClusterRole", cluster: true, fields: ["rules", "aggregationRule"]),
        Rbac("rolebindings", "RoleBinding", cluster: false, fields: ["subjects", "roleRef"]),
        Rbac("roles", "Role", cluster: false, fields: ["rules"]),

        // resource.k8s.io/v1 (dynamic resource allocation, GA in 1.34), scheduling.k8s.io/v1
        Row("resource.k8s.io", "v1", "deviceclasses", "DeviceClass", cluster: true, generation: true, fields: Spec),
        Row("resource.k8s.io", "v1", "resourceclaims", "ResourceClaim", status: true, fields: SpecStatus) with { ReturnsDeletedObject = true },
        Row("resource.k8s.io", "v1", "resourceclaimtemplates", "ResourceClaimTemplate", fields: Spec),
        Row("resource.k8s.io", "v1", "resourceslices", "ResourceSlice", cluster: true, generation: true, fields: Spec),
        Row("scheduling.k8s.io", "v1", "priorityclasses", "PriorityClass", cluster: true, shortNames: ["pc"],
            fields: ["value", "globalDefault", "description", "preemptionPolicy"]),

        // storage.k8s.io/v1
        Row("storage.k8s.io", "v1", "csidrivers", "CSIDriver", cluster: true, fields: Spec) with { ReturnsDeletedObject = true },
        Row("storage.k8s.io", "v1", "csinodes", "CSINode", cluster: true, fields: Spec) with { ReturnsDeletedObject = true },
        Row("storage.k8s.io", "v1", "csistoragecapacities", "CSIStorageCapacity",
            fields: ["nodeTopology", "storageClassName", "capacity", "maximumVolumeSize"]) with { ReturnsDeletedObject = true },
        Row("storage.k8s.io", "v1", "storageclasses", "StorageClass", cluster: true, shortNames: ["sc"],
            fields: ["provisioner", "parameters", "reclaimPolicy", "mountOptions", "allowVolumeExpansion", "volumeBindingMode", "allowedTopologies"]) with
        {
            ReturnsDeletedObject = true,
        },
        Row("storage.k8s.io", "v1", "volumeattachments", "VolumeAttachment", cluster: true, status: true, fields: SpecStatus) with { ReturnsDeletedObject = true },
        Row("storage.k8s.io", "v1", "volumeattributesclasses", "VolumeAttributesClass", cluster: true, shortNames: ["vac"],
            fields: ["driverName", "parameters"]) with { ReturnsDeletedObject = true },
    ];

    /// <summary>Fields of ObjectMeta, checked by strict field validation for every kind.</summary>
    public static IReadOnlySet<string> ObjectMetaFields { get; } = new HashSet<string>(StringComparer.Ordinal)
    {
        "name", "generateName", "namespace", "selfLink", "uid", "resourceVersion", "generation", "creationTimestamp",
        "deletionTimestamp", "deletionGracePeriodSeconds", "labels", "annotations", "ownerReferences", "finalizers",
        "managedFields",
    };

    private static ResourceType Review(string group, string plural, string kind, bool cluster = true) =>
        Row(group, "v1", plural, kind, cluster: cluster, fields: SpecStatus) with { Verbs = ["create"], IsReview = true };

    private static ResourceType Rbac(string plural, string kind, bool cluster, string[] fields) =>
        Row("rbac.authorization.k8s.io", "v1", plural, kind, cluster: cluster, fields: fields) with { NameRule = NameRule.PathSegment };

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
