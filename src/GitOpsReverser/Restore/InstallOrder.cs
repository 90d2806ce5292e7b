namespace GitOpsReverser.Restore;

/// <summary>
/// The order a restore applies kinds in, as Helm installs a chart: CustomResourceDefinitions and namespaces first,
/// then what others refer to (accounts, configuration, storage, RBAC), then services and workloads; custom
/// resources after every built-in kind, and admission webhook configurations last, so that a webhook never sees a
/// request before the service behind it is back. Deletions (<c>--prune</c>) run in the reverse order.
/// </summary>
internal static class InstallOrder
{
    private static readonly string[] Kinds =
    [
        "Namespace", "CustomResourceDefinition", "NetworkPolicy", "ResourceQuota", "LimitRange", "PodDisruptionBudget",
        "ServiceAccount", "Secret", "ConfigMap", "StorageClass", "PersistentVolume", "PersistentVolumeClaim",
        "ClusterRole", "ClusterRoleBinding", "Role", "RoleBinding", "Service", "DaemonSet", "Pod", "ReplicationController",
        "ReplicaSet", "Deployment", "HorizontalPodAutoscaler", "StatefulSet", "Job", "CronJob", "PriorityClass",
        "IngressClass", "Ingress", "APIService",
    ];

    private static readonly string[] Last = ["MutatingWebhookConfiguration", "ValidatingWebhookConfiguration", "ValidatingAdmissionPolicy", "ValidatingAdmissionPolicyBinding"];

    /// <summary>The rank of a kind: lower is applied earlier.</summary>
    public static int Rank(string kind)
    {
        var index = Array.IndexOf(Kinds, kind);
        if (index >= 0)
        {
            return index;
        }

        var last = Array.IndexOf(Last, kind);
        return last >= 0 ? Kinds.Length + 1 + last : Kinds.Length;
    }

    /// <summary>Kinds applied before everything else, then waited for (CRDs until established).</summary>
    public static bool IsFoundation(string kind) => kind is "Namespace" or "CustomResourceDefinition";
}
