using static GitOpsReverser.KubeSim.Api.ProtobufSchema.Shape;

namespace GitOpsReverser.KubeSim.Api;

/// <summary>
/// The kinds whose protobuf bodies KubeSim decodes: those kubectl's imperative commands send that way
/// (<c>create namespace|configmap|secret|serviceaccount|role|rolebinding|clusterrole|clusterrolebinding|token</c>,
/// <c>auth can-i</c>, <c>auth whoami</c>), and the DeleteOptions typed clients (Helm) send with a DELETE.
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
        [("authentication.k8s.io/v1", "SelfSubjectReview")] = MetadataOnly,
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
