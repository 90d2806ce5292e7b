using System.Text.Json.Nodes;

namespace GitOpsReverser.KubeSim.Security;

/// <summary>
/// The default ClusterRoles and ClusterRoleBindings every API server creates at start (a subset of its
/// bootstrap policy): <c>cluster-admin</c> for <c>system:masters</c>, and for every authenticated caller
/// discovery (<c>system:discovery</c>), health and version (<c>system:public-info-viewer</c>) and access
/// reviews about itself (<c>system:basic-user</c>).
/// </summary>
internal static class BootstrapPolicy
{
    public static IEnumerable<JsonObject> ClusterRoles()
    {
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
