using static GitOpsReverser.KubeSim.Api.ProtobufSchema.Shape;

namespace GitOpsReverser.KubeSim.Api;

/// <summary>
/// The kinds whose protobuf bodies KubeSim decodes: those kubectl's imperative commands send that way
/// (<c>create namespace|configmap|secret|serviceaccount|role|rolebinding|clusterrole|clusterrolebinding|token</c>,
/// <c>create deployment|service|job|cronjob|poddisruptionbudget|priorityclass|quota|ingress</c>, <c>expose</c>,
/// <c>auth can-i [--list]</c>, <c>auth whoami</c>), with the fields those commands set and the common ones beside them,
/// and the DeleteOptions typed clients (Helm) send with a DELETE.
/// </summary>
internal static class ProtobufSchemas
{
    private static readonly ProtobufSchema ObjectMeta = new ProtobufSchema()
        .Field(1, "name", Text).Field(2, "generateName", Text).Field(3, "namespace", Text)
        .Field(11, "labels", TextMap).Field(12, "annotations", TextMap).Field(14, "finalizers", TextList);

    private static readonly ProtobufSchema MetadataOnly = new ProtobufSchema().Field(1, "metadata", Nested, ObjectMeta);

    private static readonly ProtobufSchema PolicyRule = new ProtobufSchema()
        .Field(1, "verbs", TextList).Field(2, "apiGroups", TextList).Field(3, "resources", TextList)
        .Field(4, "resourceNames", TextList).Field(5, "nonResourceURLs", TextList);

    private static readonly ProtobufSchema LabelSelector = new ProtobufSchema()
        .Field(1, "matchLabels", TextMap)
        .Field(2, "matchExpressions", NestedList, new ProtobufSchema().Field(1, "key", Text).Field(2, "operator", Text).Field(3, "values", TextList));

    private static readonly ProtobufSchema Binding = new ProtobufSchema()
        .Field(1, "metadata", Nested, ObjectMeta)
        .Field(2, "subjects", NestedList, new ProtobufSchema().Field(1, "kind", Text).Field(2, "apiGroup", Text).Field(3, "name", Text).Field(4, "namespace", Text))
        .Field(3, "roleRef", Nested, new ProtobufSchema().Field(1, "apiGroup", Text).Field(2, "kind", Text).Field(3, "name", Text));

    private static readonly ProtobufSchema ResourceAttributes = new ProtobufSchema()
        .Field(1, "namespace", Text).Field(2, "verb", Text).Field(3, "group", Text).Field(4, "version", Text)
        .Field(5, "resource", Text).Field(6, "subresource", Text).Field(7, "name", Text);

    private static readonly ProtobufSchema ContainerPort = new ProtobufSchema()
        .Field(1, "name", Text).Field(2, "hostPort", NumberOmitZero).Field(3, "containerPort", Number).Field(4, "protocol", Text).Field(5, "hostIP", Text);

    private static readonly ProtobufSchema Container = new ProtobufSchema()
        .Field(1, "name", Text).Field(2, "image", Text).Field(3, "command", TextList).Field(4, "args", TextList).Field(5, "workingDir", Text)
        .Field(6, "ports", NestedList, ContainerPort)
        .Field(7, "env", NestedList, new ProtobufSchema().Field(1, "name", Text).Field(2, "value", Text))
        .Field(8, "resources", Nested, new ProtobufSchema().Field(1, "limits", QuantityMap).Field(2, "requests", QuantityMap))
        .Field(13, "terminationMessagePath", Text).Field(14, "imagePullPolicy", Text)
        .Field(16, "stdin", FlagOmitFalse).Field(17, "stdinOnce", FlagOmitFalse).Field(18, "tty", FlagOmitFalse)
        .Field(20, "terminationMessagePolicy", Text);

    private static readonly ProtobufSchema PodSpec = new ProtobufSchema()
        .Field(2, "containers", NestedList, Container).Field(3, "restartPolicy", Text).Field(4, "terminationGracePeriodSeconds", Number)
        .Field(5, "activeDeadlineSeconds", Number).Field(6, "dnsPolicy", Text).Field(7, "nodeSelector", TextMap)
        .Field(8, "serviceAccountName", Text).Field(9, "serviceAccount", Text).Field(11, "hostNetwork", FlagOmitFalse)
        .Field(15, "imagePullSecrets", NestedList, new ProtobufSchema().Field(1, "name", Text))
        .Field(16, "hostname", Text).Field(17, "subdomain", Text).Field(19, "schedulerName", Text).Field(20, "initContainers", NestedList, Container)
        .Field(21, "automountServiceAccountToken", Flag).Field(24, "priorityClassName", Text).Field(29, "runtimeClassName", Text);

    private static readonly ProtobufSchema PodTemplateSpec = new ProtobufSchema()
        .Field(1, "metadata", Nested, ObjectMeta).Field(2, "spec", Nested, PodSpec);

    private static readonly ProtobufSchema JobSpec = new ProtobufSchema()
        .Field(1, "parallelism", Number).Field(2, "completions", Number).Field(3, "activeDeadlineSeconds", Number)
        .Field(4, "selector", Nested, LabelSelector).Field(5, "manualSelector", Flag).Field(6, "template", Nested, PodTemplateSpec)
        .Field(7, "backoffLimit", Number).Field(8, "ttlSecondsAfterFinished", Number).Field(9, "completionMode", Text).Field(10, "suspend", Flag);

    private static readonly ProtobufSchema IngressBackend = new ProtobufSchema()
        .Field(3, "resource", Nested, new ProtobufSchema().Field(1, "apiGroup", Text).Field(2, "kind", Text).Field(3, "name", Text))
        .Field(4, "service", Nested, new ProtobufSchema()
            .Field(1, "name", Text)
            .Field(2, "port", Nested, new ProtobufSchema().Field(1, "name", Text).Field(2, "number", NumberOmitZero)));

    private static readonly Dictionary<(string ApiVersion, string Kind), ProtobufSchema> Kinds = new()
    {
        [("v1", "Namespace")] = MetadataOnly,
        [("v1", "ServiceAccount")] = MetadataOnly,
        [("v1", "ConfigMap")] = new ProtobufSchema()
            .Field(1, "metadata", Nested, ObjectMeta).Field(2, "data", TextMap).Field(3, "binaryData", BytesMap).Field(4, "immutable", Flag),
        [("v1", "Secret")] = new ProtobufSchema()
            .Field(1, "metadata", Nested, ObjectMeta).Field(2, "data", BytesMap).Field(3, "type", Text)
            .Field(4, "stringData", TextMap).Field(5, "immutable", Flag),
        [("rbac.authorization.k8s.io/v1", "Role")] = new ProtobufSchema()
            .Field(1, "metadata", Nested, ObjectMeta).Field(2, "rules", NestedList, PolicyRule),
        [("rbac.authorization.k8s.io/v1", "ClusterRole")] = new ProtobufSchema()
            .Field(1, "metadata", Nested, ObjectMeta).Field(2, "rules", NestedList, PolicyRule)
            .Field(3, "aggregationRule", Nested, new ProtobufSchema().Field(1, "clusterRoleSelectors", NestedList, LabelSelector)),
        [("rbac.authorization.k8s.io/v1", "RoleBinding")] = Binding,
        [("rbac.authorization.k8s.io/v1", "ClusterRoleBinding")] = Binding,
        [("authentication.k8s.io/v1", "TokenRequest")] = new ProtobufSchema()
            .Field(1, "metadata", Nested, ObjectMeta)
            .Field(2, "spec", Nested, new ProtobufSchema()
                .Field(1, "audiences", TextList).Field(4, "expirationSeconds", Number)
                .Field(3, "boundObjectRef", Nested, new ProtobufSchema()
                    .Field(1, "kind", Text).Field(2, "apiVersion", Text).Field(3, "name", Text).Field(4, "uid", Text))),
        [("apps/v1", "Deployment")] = new ProtobufSchema()
            .Field(1, "metadata", Nested, ObjectMeta)
            .Field(2, "spec", Nested, new ProtobufSchema()
                .Field(1, "replicas", Number).Field(2, "selector", Nested, LabelSelector).Field(3, "template", Nested, PodTemplateSpec)
                .Field(4, "strategy", Nested, new ProtobufSchema()
                    .Field(1, "type", Text)
                    .Field(2, "rollingUpdate", Nested, new ProtobufSchema().Field(1, "maxUnavailable", IntOrString).Field(2, "maxSurge", IntOrString)))
                .Field(5, "minReadySeconds", NumberOmitZero).Field(6, "revisionHistoryLimit", Number).Field(7, "paused", FlagOmitFalse)
                .Field(9, "progressDeadlineSeconds", Number)),
        [("batch/v1", "Job")] = new ProtobufSchema().Field(1, "metadata", Nested, ObjectMeta).Field(2, "spec", Nested, JobSpec),
        [("batch/v1", "CronJob")] = new ProtobufSchema()
            .Field(1, "metadata", Nested, ObjectMeta)
            .Field(2, "spec", Nested, new ProtobufSchema()
                .Field(1, "schedule", Text).Field(2, "startingDeadlineSeconds", Number).Field(3, "concurrencyPolicy", Text).Field(4, "suspend", Flag)
                .Field(5, "jobTemplate", Nested, new ProtobufSchema().Field(1, "metadata", Nested, ObjectMeta).Field(2, "spec", Nested, JobSpec))
                .Field(6, "successfulJobsHistoryLimit", Number).Field(7, "failedJobsHistoryLimit", Number).Field(8, "timeZone", Text)),
        [("v1", "Service")] = new ProtobufSchema()
            .Field(1, "metadata", Nested, ObjectMeta)
            .Field(2, "spec", Nested, new ProtobufSchema()
                .Field(1, "ports", NestedList, new ProtobufSchema()
                    .Field(1, "name", Text).Field(2, "protocol", Text).Field(3, "port", Number).Field(4, "targetPort", IntOrString)
                    .Field(5, "nodePort", NumberOmitZero).Field(6, "appProtocol", Text))
                .Field(2, "selector", TextMap).Field(3, "clusterIP", Text).Field(4, "type", Text).Field(5, "externalIPs", TextList)
                .Field(7, "sessionAffinity", Text).Field(8, "loadBalancerIP", Text).Field(10, "externalName", Text)
                .Field(11, "externalTrafficPolicy", Text).Field(18, "clusterIPs", TextList)),
        [("policy/v1", "PodDisruptionBudget")] = new ProtobufSchema()
            .Field(1, "metadata", Nested, ObjectMeta)
            .Field(2, "spec", Nested, new ProtobufSchema()
                .Field(1, "minAvailable", IntOrString).Field(2, "selector", Nested, LabelSelector).Field(3, "maxUnavailable", IntOrString)
                .Field(4, "unhealthyPodEvictionPolicy", Text)),
        [("scheduling.k8s.io/v1", "PriorityClass")] = new ProtobufSchema()
            .Field(1, "metadata", Nested, ObjectMeta).Field(2, "value", Number).Field(3, "globalDefault", FlagOmitFalse)
            .Field(4, "description", Text).Field(5, "preemptionPolicy", Text),
        [("v1", "ResourceQuota")] = new ProtobufSchema()
            .Field(1, "metadata", Nested, ObjectMeta)
            .Field(2, "spec", Nested, new ProtobufSchema().Field(1, "hard", QuantityMap).Field(2, "scopes", TextList)),
        [("networking.k8s.io/v1", "Ingress")] = new ProtobufSchema()
            .Field(1, "metadata", Nested, ObjectMeta)
            .Field(2, "spec", Nested, new ProtobufSchema()
                .Field(1, "defaultBackend", Nested, IngressBackend)
                .Field(2, "tls", NestedList, new ProtobufSchema().Field(1, "hosts", TextList).Field(2, "secretName", Text))
                .Field(3, "rules", NestedList, new ProtobufSchema()
                    .Field(1, "host", Text)
                    .Field(2, "ingressRuleValue", Inline, new ProtobufSchema()
                        .Field(1, "http", Nested, new ProtobufSchema()
                            .Field(1, "paths", NestedList, new ProtobufSchema()
                                .Field(1, "path", Text).Field(2, "backend", Nested, IngressBackend).Field(3, "pathType", Text)))))
                .Field(4, "ingressClassName", Text)),
        [("authentication.k8s.io/v1", "SelfSubjectReview")] = MetadataOnly,
        [("authorization.k8s.io/v1", "SelfSubjectRulesReview")] = new ProtobufSchema()
            .Field(1, "metadata", Nested, ObjectMeta).Field(2, "spec", Nested, new ProtobufSchema().Field(1, "namespace", Text)),
        [("authorization.k8s.io/v1", "SelfSubjectAccessReview")] = new ProtobufSchema()
            .Field(1, "metadata", Nested, ObjectMeta)
            .Field(2, "spec", Nested, new ProtobufSchema()
                .Field(1, "resourceAttributes", Nested, ResourceAttributes)
                .Field(2, "nonResourceAttributes", Nested, new ProtobufSchema().Field(1, "path", Text).Field(2, "verb", Text))),
    };

    // Sent with a DELETE, under the apiVersion of the resource's group.
    private static readonly ProtobufSchema DeleteOptions = new ProtobufSchema()
        .Field(1, "gracePeriodSeconds", Number)
        .Field(2, "preconditions", Nested, new ProtobufSchema().Field(1, "uid", Text).Field(2, "resourceVersion", Text))
        .Field(3, "orphanDependents", Flag).Field(4, "propagationPolicy", Text).Field(5, "dryRun", TextList);

    public static ProtobufSchema? For(string? apiVersion, string? kind) =>
        kind == "DeleteOptions" ? DeleteOptions : Kinds.GetValueOrDefault((apiVersion ?? "", kind ?? ""));
}
