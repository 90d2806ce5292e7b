using static GitOpsReverser.Sanitizing.FieldRuleCategory;
using static GitOpsReverser.Sanitizing.FieldValueMatches;

namespace GitOpsReverser.Sanitizing;

/// <summary>
/// Every field the sanitizer removes from built-in kinds, in one table. Server-assigned fields always go;
/// defaults go only while de-defaulting is on, and only when the value is exactly the API server's documented
/// default, so removing it never changes what the object means.
/// </summary>
internal static class FieldRuleTable
{
    private static readonly string[] PodKinds = ["Pod", "Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "Job", "CronJob"];
    private static readonly string[] TemplateKinds = ["Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "Job", "CronJob"];

    public static readonly FieldRule[] All =
    [
        // Server-assigned: allocated or copied in by the API server or a controller.
        new("service-cluster-ip", ServerAssigned, ["Service"], "spec.clusterIP", IsNot("None"), "allocated IP (a headless `None` stays)"),
        new("service-cluster-ips", ServerAssigned, ["Service"], "spec.clusterIPs", Any, "copy of clusterIP"),
        new("service-ip-families", ServerAssigned, ["Service"], "spec.ipFamilies", SingleItem, "the cluster's family (dual-stack lists stay)"),
        new("service-ip-family-policy", ServerAssigned, ["Service"], "spec.ipFamilyPolicy", Is("SingleStack"), "`SingleStack`"),
        new("service-internal-traffic-policy", ServerAssigned, ["Service"], "spec.internalTrafficPolicy", Is("Cluster"), "`Cluster`"),
        new("service-health-check-node-port", ServerAssigned, ["Service"], "spec.healthCheckNodePort", Any, "allocated port"),
        new("pod-node-name", ServerAssigned, ["Pod"], "spec.nodeName", Any, "set by the scheduler"),
        new("pvc-volume-name", ServerAssigned, ["PersistentVolumeClaim"], "spec.volumeName", Any, "set on binding"),
        new("pv-claim-ref-uid", ServerAssigned, ["PersistentVolume"], "spec.claimRef.uid", Any, "set on binding"),
        new("pv-claim-ref-resource-version", ServerAssigned, ["PersistentVolume"], "spec.claimRef.resourceVersion", Any, "set on binding"),
        new("template-creation-timestamp", ServerAssigned, TemplateKinds, "{template}.metadata.creationTimestamp", Any, "`null` written by the server"),
        new("cronjob-job-template-creation-timestamp", ServerAssigned, ["CronJob"], "spec.jobTemplate.metadata.creationTimestamp", Any, "`null` written by the server"),
        new("statefulset-claim-template-creation-timestamp", ServerAssigned, ["StatefulSet"], "spec.volumeClaimTemplates[*].metadata.creationTimestamp", Any, "`null` written by the server"),
        new("statefulset-claim-template-status", ServerAssigned, ["StatefulSet"], "spec.volumeClaimTemplates[*].status", Any, "`phase: Pending` written by the server"),
        new("job-selector", ServerAssigned, ["Job"], "spec.selector", UnlessSibling("manualSelector", "true"), "generated `controller-uid` selector"),
        new("job-label-controller-uid", ServerAssigned, ["Job"], "metadata.labels[controller-uid]|spec.template.metadata.labels[controller-uid]", Any, "generated from the Job's uid and name"),
        new("job-label-batch-controller-uid", ServerAssigned, ["Job"], "metadata.labels[batch.kubernetes.io/controller-uid]|spec.template.metadata.labels[batch.kubernetes.io/controller-uid]", Any, "generated from the Job's uid and name"),
        new("job-label-job-name", ServerAssigned, ["Job"], "metadata.labels[job-name]|spec.template.metadata.labels[job-name]", Any, "generated from the Job's uid and name"),
        new("job-label-batch-job-name", ServerAssigned, ["Job"], "metadata.labels[batch.kubernetes.io/job-name]|spec.template.metadata.labels[batch.kubernetes.io/job-name]", Any, "generated from the Job's uid and name"),
        new("namespace-finalizers", ServerAssigned, ["Namespace"], "spec.finalizers", Is("[kubernetes]"), "`[kubernetes]`"),
        new("namespace-name-label", ServerAssigned, ["Namespace"], "metadata.labels[kubernetes.io/metadata.name]", Any, "copy of the name"),

        // Pod spec defaults (in Pods and in every pod template).
        new("pod-dns-policy", Default, PodKinds, "{pod}.dnsPolicy", Is("ClusterFirst"), "`ClusterFirst`"),
        new("pod-restart-policy", Default, PodKinds, "{pod}.restartPolicy", Is("Always"), "`Always`"),
        new("pod-scheduler-name", Default, PodKinds, "{pod}.schedulerName", Is("default-scheduler"), "`default-scheduler`"),
        new("pod-termination-grace-period", Default, PodKinds, "{pod}.terminationGracePeriodSeconds", Is("30"), "`30`"),
        new("pod-security-context", Default, PodKinds, "{pod}.securityContext", Is("{}"), "`{}`"),
        new("pod-enable-service-links", Default, ["Pod"], "spec.enableServiceLinks", Is("true"), "`true` (Pods only)"),
        new("pod-priority", Default, ["Pod"], "spec.priority", Is("0"), "`0` without a priority class (Pods only)"),
        new("pod-preemption-policy", Default, ["Pod"], "spec.preemptionPolicy", Is("PreemptLowerPriority"), "`PreemptLowerPriority` (Pods only)"),
        new("pod-service-account-alias", Default, ["Pod"], "spec.serviceAccount", SameAsSibling("serviceAccountName"), "deprecated copy of serviceAccountName"),
        new("pod-service-account-name", Default, ["Pod"], "spec.serviceAccountName", Is("default"), "`default`, set by the ServiceAccount admission plugin (Pods only)"),
        new("pod-service-account-token-volume", ServerAssigned, ["Pod"], "spec.volumes", ServiceAccountTokenVolume,
            "the `kube-api-access-…` token volume the ServiceAccount admission plugin adds (Pods only; other volumes stay)") { EachItem = true },
        new("pod-service-account-token-mount", ServerAssigned, ["Pod"], "{container}.volumeMounts", ServiceAccountTokenMount,
            "that volume's mount in every container (other mounts stay)") { EachItem = true },
        new("pod-default-tolerations", Default, ["Pod"], "spec.tolerations", DefaultToleration,
            "the `not-ready` and `unreachable` NoExecute tolerations for 300 s that DefaultTolerationSeconds adds (other tolerations stay)") { EachItem = true },
        new("volume-secret-default-mode", Default, PodKinds, "{pod}.volumes[*].secret.defaultMode", Is("420"), "`420` (0644)"),
        new("volume-config-map-default-mode", Default, PodKinds, "{pod}.volumes[*].configMap.defaultMode", Is("420"), "`420` (0644)"),
        new("volume-projected-default-mode", Default, PodKinds, "{pod}.volumes[*].projected.defaultMode", Is("420"), "`420` (0644)"),
        new("volume-downward-api-default-mode", Default, PodKinds, "{pod}.volumes[*].downwardAPI.defaultMode", Is("420"), "`420` (0644)"),
        new("volume-host-path-type", Default, PodKinds, "{pod}.volumes[*].hostPath.type", Is("\"\""), "`\"\"`"),

        // Container defaults (containers, initContainers, ephemeralContainers).
        new("container-termination-message-path", Default, PodKinds, "{container}.terminationMessagePath", Is("/dev/termination-log"), "`/dev/termination-log`"),
        new("container-termination-message-policy", Default, PodKinds, "{container}.terminationMessagePolicy", Is("File"), "`File`"),
        new("container-image-pull-policy", Default, PodKinds, "{container}.imagePullPolicy", DefaultImagePullPolicy, "`Always` for `:latest` or no tag, else `IfNotPresent`"),
        new("container-resources", Default, PodKinds, "{container}.resources", Is("{}"), "`{}`"),
        new("container-port-protocol", Default, PodKinds, "{container}.ports[*].protocol", Is("TCP"), "`TCP`"),
        new("container-env-field-ref-api-version", Default, PodKinds, "{container}.env[*].valueFrom.fieldRef.apiVersion", Is("v1"), "`v1`"),
        new("probe-timeout-seconds", Default, PodKinds, "{container}.{probe}.timeoutSeconds", Is("1"), "`1`"),
        new("probe-period-seconds", Default, PodKinds, "{container}.{probe}.periodSeconds", Is("10"), "`10`"),
        new("probe-success-threshold", Default, PodKinds, "{container}.{probe}.successThreshold", Is("1"), "`1`"),
        new("probe-failure-threshold", Default, PodKinds, "{container}.{probe}.failureThreshold", Is("3"), "`3`"),
        new("probe-http-get-scheme", Default, PodKinds, "{container}.{probe}.httpGet.scheme", Is("HTTP"), "`HTTP`"),

        // Workload defaults.
        new("deployment-replicas", Default, ["Deployment"], "spec.replicas", Is("1"), "`1`"),
        new("deployment-progress-deadline", Default, ["Deployment"], "spec.progressDeadlineSeconds", Is("600"), "`600`"),
        new("deployment-revision-history-limit", Default, ["Deployment"], "spec.revisionHistoryLimit", Is("10"), "`10`"),
        new("deployment-strategy", Default, ["Deployment"], "spec.strategy", Is("{type: RollingUpdate, rollingUpdate: {maxSurge: 25%, maxUnavailable: 25%}}"), "RollingUpdate 25%/25%"),
        new("statefulset-replicas", Default, ["StatefulSet"], "spec.replicas", Is("1"), "`1`"),
        new("statefulset-pod-management-policy", Default, ["StatefulSet"], "spec.podManagementPolicy", Is("OrderedReady"), "`OrderedReady`"),
        new("statefulset-revision-history-limit", Default, ["StatefulSet"], "spec.revisionHistoryLimit", Is("10"), "`10`"),
        new("statefulset-update-strategy", Default, ["StatefulSet"], "spec.updateStrategy", Is("{type: RollingUpdate, rollingUpdate: {partition: 0}}"), "RollingUpdate, partition 0"),
        new("statefulset-pvc-retention-policy", Default, ["StatefulSet"], "spec.persistentVolumeClaimRetentionPolicy", Is("{whenDeleted: Retain, whenScaled: Retain}"), "Retain/Retain"),
        new("statefulset-claim-template-api-version", Default, ["StatefulSet"], "spec.volumeClaimTemplates[*].apiVersion", Is("v1"), "`v1`"),
        new("statefulset-claim-template-kind", Default, ["StatefulSet"], "spec.volumeClaimTemplates[*].kind", Is("PersistentVolumeClaim"), "`PersistentVolumeClaim`"),
        new("statefulset-claim-template-volume-mode", Default, ["StatefulSet"], "spec.volumeClaimTemplates[*].spec.volumeMode", Is("Filesystem"), "`Filesystem`"),
        new("daemonset-revision-history-limit", Default, ["DaemonSet"], "spec.revisionHistoryLimit", Is("10"), "`10`"),
        new("daemonset-update-strategy", Default, ["DaemonSet"], "spec.updateStrategy", Is("{type: RollingUpdate, rollingUpdate: {maxSurge: 0, maxUnavailable: 1}}"), "RollingUpdate, surge 0, unavailable 1"),
        new("replicaset-replicas", Default, ["ReplicaSet"], "spec.replicas", Is("1"), "`1`"),
        new("job-backoff-limit", Default, ["Job"], "spec.backoffLimit", Is("6"), "`6`"),
        new("job-completion-mode", Default, ["Job"], "spec.completionMode", Is("NonIndexed"), "`NonIndexed`"),
        new("job-completions", Default, ["Job"], "spec.completions", Is("1"), "`1`"),
        new("job-parallelism", Default, ["Job"], "spec.parallelism", Is("1"), "`1`"),
        new("job-suspend", Default, ["Job"], "spec.suspend", Is("false"), "`false`"),
        new("job-pod-replacement-policy", Default, ["Job"], "spec.podReplacementPolicy", Is("TerminatingOrFailed"), "`TerminatingOrFailed`"),
        new("cronjob-concurrency-policy", Default, ["CronJob"], "spec.concurrencyPolicy", Is("Allow"), "`Allow`"),
        new("cronjob-failed-jobs-history-limit", Default, ["CronJob"], "spec.failedJobsHistoryLimit", Is("1"), "`1`"),
        new("cronjob-successful-jobs-history-limit", Default, ["CronJob"], "spec.successfulJobsHistoryLimit", Is("3"), "`3`"),
        new("cronjob-suspend", Default, ["CronJob"], "spec.suspend", Is("false"), "`false`"),

        // Service and volume defaults.
        new("service-type", Default, ["Service"], "spec.type", Is("ClusterIP"), "`ClusterIP`"),
        new("service-session-affinity", Default, ["Service"], "spec.sessionAffinity", Is("None"), "`None`"),
        new("service-port-protocol", Default, ["Service"], "spec.ports[*].protocol", Is("TCP"), "`TCP`"),
        new("service-target-port", Default, ["Service"], "spec.ports[*].targetPort", SameAsSibling("port"), "equal to `port`"),
        new("service-external-traffic-policy", Default, ["Service"], "spec.externalTrafficPolicy", Is("Cluster"), "`Cluster`"),
        new("service-allocate-load-balancer-node-ports", Default, ["Service"], "spec.allocateLoadBalancerNodePorts", Is("true"), "`true`"),
        new("pvc-volume-mode", Default, ["PersistentVolumeClaim"], "spec.volumeMode", Is("Filesystem"), "`Filesystem`"),
        new("pv-volume-mode", Default, ["PersistentVolume"], "spec.volumeMode", Is("Filesystem"), "`Filesystem`"),
        new("pv-reclaim-policy", Default, ["PersistentVolume"], "spec.persistentVolumeReclaimPolicy", Is("Retain"), "`Retain` (a provisioner sets `Delete`, which stays)"),
        new("endpoints-port-protocol", Default, ["Endpoints"], "subsets[*].ports[*].protocol", Is("TCP"), "`TCP`"),
        new("networkpolicy-policy-types", Default, ["NetworkPolicy"], "spec.policyTypes", DefaultPolicyTypes, "`[Ingress]`, plus `Egress` when there are egress rules"),
        new("networkpolicy-port-protocol", Default, ["NetworkPolicy"], "spec.ingress[*].ports[*].protocol|spec.egress[*].ports[*].protocol", Is("TCP"), "`TCP`"),
        new("priorityclass-preemption-policy", Default, ["PriorityClass"], "preemptionPolicy", Is("PreemptLowerPriority"), "`PreemptLowerPriority`"),
        new("hpa-min-replicas", Default, ["HorizontalPodAutoscaler"], "spec.minReplicas", Is("1"), "`1`"),
        new("hpa-metrics", Default, ["HorizontalPodAutoscaler"], "spec.metrics",
            Is("[{type: Resource, resource: {name: cpu, target: {type: Utilization, averageUtilization: 80}}}]"), "CPU at 80% utilization (autoscaling/v2)"),
    ];

    /// <summary>The API group of each built-in kind the table names; a same-named kind of another group is left alone.</summary>
    public static readonly IReadOnlyDictionary<string, string> BuiltInGroups = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["Pod"] = string.Empty,
        ["Service"] = string.Empty,
        ["PersistentVolumeClaim"] = string.Empty,
        ["PersistentVolume"] = string.Empty,
        ["Namespace"] = string.Empty,
        ["Endpoints"] = string.Empty,
        ["NetworkPolicy"] = "networking.k8s.io",
        ["HorizontalPodAutoscaler"] = "autoscaling",
        ["PriorityClass"] = "scheduling.k8s.io",
        ["Deployment"] = "apps",
        ["StatefulSet"] = "apps",
        ["DaemonSet"] = "apps",
        ["ReplicaSet"] = "apps",
        ["Job"] = "batch",
        ["CronJob"] = "batch",
    };

    /// <summary>Where each kind keeps its pod template.</summary>
    public static readonly IReadOnlyDictionary<string, string> PodTemplatePaths = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["Deployment"] = "spec.template",
        ["StatefulSet"] = "spec.template",
        ["DaemonSet"] = "spec.template",
        ["ReplicaSet"] = "spec.template",
        ["Job"] = "spec.template",
        ["CronJob"] = "spec.jobTemplate.spec.template",
    };
}
