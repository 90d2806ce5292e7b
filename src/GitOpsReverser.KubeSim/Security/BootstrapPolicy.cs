using System.Text.Json.Nodes;

namespace GitOpsReverser.KubeSim.Security;

/// <summary>
/// The default ClusterRoles and ClusterRoleBindings every API server creates at start (a subset of its
/// bootstrap policy): <c>cluster-admin</c> for <c>system:masters</c>, and for every authenticated caller
/// discovery (<c>system:discovery</c>), health and version (<c>system:public-info-viewer</c>) and access
/// reviews about itself (<c>system:basic-user</c>); and the user-facing roles <c>admin</c>, <c>edit</c> and
/// <c>view</c>, each aggregating the ClusterRoles labelled <c>rbac.authorization.k8s.io/aggregate-to-…</c>
/// (<c>view</c> is labelled into <c>edit</c>, <c>edit</c> into <c>admin</c>), with the built-in rules of
/// <c>system:aggregate-to-admin</c>, <c>-edit</c> and <c>-view</c> for the kinds people use most.
/// </summary>
internal static class BootstrapPolicy
{
    private const string AggregateTo = "rbac.authorization.k8s.io/aggregate-to-";
    private static readonly string[] Read = ["get", "list", "watch"];
    private static readonly string[] Write = ["create", "delete", "deletecollection", "patch", "update"];
    private static readonly string[] ReadWrite = [.. Read, .. Write];

    public static IEnumerable<JsonObject> ClusterRoles()
    {
        foreach (var role in UserFacingRoles())
        {
            yield return role;
        }

        yield return Role("cluster-admin",
            Rule(["*"], apiGroups: ["*"], resources: ["*"]),
            Rule(["*"], nonResourceUrls: ["*"]));
        yield return Role("system:discovery",
            Rule(["get"], nonResourceUrls: ["/api", "/api/*", "/apis", "/apis/*", "/healthz", "/livez", "/openapi", "/openapi/*", "/readyz", "/version", "/version/"]));
        yield return Role("system:public-info-viewer",
            Rule(["get"], nonResourceUrls: ["/healthz", "/livez", "/readyz", "/version", "/version/"]));
        yield return Role("system:basic-user",
            Rule(["create"], apiGroups: ["authorization.k8s.io"], resources: ["selfsubjectaccessreviews", "selfsubjectrulesreviews"]),
            Rule(["create"], apiGroups: ["authentication.k8s.io"], resources: ["selfsubjectreviews"]));
    }

    // admin ⊇ edit ⊇ view, by labels, as the API server's bootstrap policy declares them.
    private static IEnumerable<JsonObject> UserFacingRoles()
    {
        yield return Aggregated("admin", "admin", null);
        yield return Aggregated("edit", "edit", "admin");
        yield return Aggregated("view", "view", "edit");
        yield return Labelled(Role("system:aggregate-to-admin",
            Rule(["create"], apiGroups: ["authorization.k8s.io"], resources: ["localsubjectaccessreviews"]),
            Rule(ReadWrite, apiGroups: ["rbac.authorization.k8s.io"], resources: ["roles", "rolebindings"])), "admin");
        yield return Labelled(Role("system:aggregate-to-edit",
            Rule(Read, apiGroups: [""], resources: ["pods/attach", "pods/proxy", "pods/exec", "pods/portforward", "secrets", "services/proxy"]),
            Rule(["impersonate"], apiGroups: [""], resources: ["serviceaccounts"]),
            Rule(Write, apiGroups: [""], resources: ["pods", "pods/attach", "pods/proxy", "pods/exec", "pods/portforward"]),
            Rule(["create"], apiGroups: [""], resources: ["pods/eviction"]),
            Rule(Write, apiGroups: [""], resources: ["replicationcontrollers", "replicationcontrollers/scale", "serviceaccounts", "services", "services/proxy",
                "persistentvolumeclaims", "configmaps", "secrets", "events"]),
            Rule(["create"], apiGroups: [""], resources: ["serviceaccounts/token"]),
            Rule(Write, apiGroups: ["apps"], resources: ["statefulsets", "statefulsets/scale", "daemonsets", "deployments", "deployments/scale",
                "deployments/rollback", "replicasets", "replicasets/scale"]),
            Rule(Write, apiGroups: ["autoscaling"], resources: ["horizontalpodautoscalers"]),
            Rule(Write, apiGroups: ["batch"], resources: ["jobs", "cronjobs"]),
            Rule(Write, apiGroups: ["policy"], resources: ["poddisruptionbudgets"]),
            Rule(Write, apiGroups: ["networking.k8s.io"], resources: ["networkpolicies", "ingresses"]),
            Rule(ReadWrite, apiGroups: ["coordination.k8s.io"], resources: ["leases"])), "edit");
        yield return Labelled(Role("system:aggregate-to-view",
            Rule(Read, apiGroups: [""], resources: ["podtemplates", "configmaps", "endpoints", "persistentvolumeclaims", "persistentvolumeclaims/status", "pods",
                "replicationcontrollers", "replicationcontrollers/scale", "serviceaccounts", "services", "services/status"]),
            Rule(Read, apiGroups: [""], resources: ["bindings", "events", "limitranges", "namespaces/status", "pods/log", "pods/status",
                "replicationcontrollers/status", "resourcequotas", "resourcequotas/status"]),
            Rule(Read, apiGroups: [""], resources: ["namespaces"]),
            Rule(Read, apiGroups: ["discovery.k8s.io"], resources: ["endpointslices"]),
            Rule(Read, apiGroups: ["apps"], resources: ["controllerrevisions", "daemonsets", "daemonsets/status", "deployments", "deployments/scale",
                "deployments/status", "replicasets", "replicasets/scale", "replicasets/status", "statefulsets", "statefulsets/scale", "statefulsets/status"]),
            Rule(Read, apiGroups: ["autoscaling"], resources: ["horizontalpodautoscalers", "horizontalpodautoscalers/status"]),
            Rule(Read, apiGroups: ["batch"], resources: ["cronjobs", "cronjobs/status", "jobs", "jobs/status"]),
            Rule(Read, apiGroups: ["policy"], resources: ["poddisruptionbudgets", "poddisruptionbudgets/status"]),
            Rule(Read, apiGroups: ["networking.k8s.io"], resources: ["ingresses", "ingresses/status", "networkpolicies"])), "view");
    }

    // A role whose rules are those of every ClusterRole labelled aggregate-to-<selects>; labelled itself into <into>.
    private static JsonObject Aggregated(string name, string selects, string? into)
    {
        var role = Role(name);
        role.Remove("rules");
        role["aggregationRule"] = new JsonObject
        {
            ["clusterRoleSelectors"] = new JsonArray(new JsonObject
            {
                ["matchLabels"] = new JsonObject { [AggregateTo + selects] = "true" },
            }),
        };
        role["rules"] = new JsonArray();
        return into is null ? role : Labelled(role, into);
    }

    private static JsonObject Labelled(JsonObject role, string into)
    {
        role["metadata"]!["labels"]![AggregateTo + into] = "true";
        return role;
    }

    public static IEnumerable<JsonObject> ClusterRoleBindings()
    {
        yield return Binding("cluster-admin", "system:masters");
        yield return Binding("system:discovery", "system:authenticated");
        yield return Binding("system:public-info-viewer", "system:authenticated", "system:unauthenticated");
        yield return Binding("system:basic-user", "system:authenticated");
    }

    private static JsonObject Role(string name, params JsonObject[] rules) => new()
    {
        ["apiVersion"] = "rbac.authorization.k8s.io/v1",
        ["kind"] = "ClusterRole",
        ["metadata"] = Metadata(name),
        ["rules"] = new JsonArray(rules),
    };

    private static JsonObject Binding(string name, params string[] groups) => new()
    {
        ["apiVersion"] = "rbac.authorization.k8s.io/v1",
        ["kind"] = "ClusterRoleBinding",
        ["metadata"] = Metadata(name),
        ["roleRef"] = new JsonObject { ["apiGroup"] = "rbac.authorization.k8s.io", ["kind"] = "ClusterRole", ["name"] = name },
        ["subjects"] = new JsonArray([.. groups.Select(group => (JsonNode)new JsonObject
        {
            ["apiGroup"] = "rbac.authorization.k8s.io",
            ["kind"] = "Group",
            ["name"] = group,
        })]),
    };

    private static JsonObject Metadata(string name) => new()
    {
        ["name"] = name,
        ["labels"] = new JsonObject { ["kubernetes.io/bootstrapping"] = "rbac-defaults" },
        ["annotations"] = new JsonObject { ["rbac.authorization.kubernetes.io/autoupdate"] = "true" },
    };

    private static JsonObject Rule(string[] verbs, string[]? apiGroups = null, string[]? resources = null, string[]? nonResourceUrls = null)
    {
        var rule = new JsonObject();
        if (apiGroups is not null)
        {
            rule["apiGroups"] = Strings(apiGroups);
            rule["resources"] = Strings(resources ?? []);
        }

        if (nonResourceUrls is not null)
        {
            rule["nonResourceURLs"] = Strings(nonResourceUrls);
        }

        rule["verbs"] = Strings(verbs);
        return rule;
    }

    private static JsonArray Strings(string[] values) => new([.. values.Select(value => (JsonNode?)value)]);
}
