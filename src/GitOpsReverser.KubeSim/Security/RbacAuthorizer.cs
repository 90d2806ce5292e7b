using System.Runtime.CompilerServices;
using System.Text.Json.Nodes;
using GitOpsReverser.KubeSim.Storage;

namespace GitOpsReverser.KubeSim.Security;

/// <summary>
/// The RBAC authorizer over the stored Roles, ClusterRoles, RoleBindings and ClusterRoleBindings: a
/// request is allowed when a ClusterRoleBinding, or a RoleBinding in the request's namespace, binds the
/// caller (user, group or ServiceAccount) to a role with a rule that allows it. A ClusterRole with an
/// <c>aggregationRule</c> has the rules of every ClusterRole its selectors match, as the aggregation
/// controller would write them. Evaluated per request, so a binding added later takes effect at once.
/// </summary>
internal sealed class RbacAuthorizer(ObjectStore store)
{
    private const string Roles = "roles.rbac.authorization.k8s.io";
    private const string ClusterRoles = "clusterroles.rbac.authorization.k8s.io";
    private const string RoleBindings = "rolebindings.rbac.authorization.k8s.io";
    private const string ClusterRoleBindings = "clusterrolebindings.rbac.authorization.k8s.io";

    // Stored objects are immutable: each version is parsed once.
    private readonly ConditionalWeakTable<StoredObject, JsonObject> parsed = [];

    /// <summary>Whether the request is allowed, and the API server's reason when it is.</summary>
    public (bool Allowed, string Reason) Authorize(UserInfo user, RequestAttributes request)
    {
        foreach (var binding in store.Snapshot(ClusterRoleBindings, ObjectFilter.All))
        {
            if (Allows(user, request, Parse(binding), "", out var reason))
            {
                return (true, $"RBAC: allowed by ClusterRoleBinding \"{binding.Name}\" {reason}");
            }
        }

        if (!string.IsNullOrEmpty(request.Namespace))
        {
            foreach (var binding in store.Snapshot(RoleBindings, new ObjectFilter(request.Namespace, null, null)))
            {
                if (Allows(user, request, Parse(binding), request.Namespace, out var reason))
                {
                    return (true, $"RBAC: allowed by RoleBinding \"{binding.Name}/{request.Namespace}\" {reason}");
                }
            }
        }

        return (false, "");
    }

    private bool Allows(UserInfo user, RequestAttributes request, JsonObject binding, string bindingNamespace, out string reason)
    {
        reason = "";
        var subject = (binding["subjects"] as JsonArray ?? []).FirstOrDefault(subject => AppliesTo(subject, user, bindingNamespace));
        if (subject is null)
        {
            return false;
        }

        var roleKind = (string?)binding["roleRef"]?["kind"] ?? "";
        var roleName = (string?)binding["roleRef"]?["name"] ?? "";
        var rules = roleKind switch
        {
            "ClusterRole" => ClusterRoleRules(roleName),
            "Role" when bindingNamespace.Length > 0 => RulesOf(store.Get(Roles, StoredObject.KeyOf(bindingNamespace, roleName))),
            _ => [],
        };
        if (!rules.Any(rule => rule.Allows(request)))
        {
            return false;
        }

        reason = $"of {roleKind} \"{roleName}\" to {(string?)subject["kind"]} \"{SubjectName(subject, bindingNamespace)}\"";
        return true;
    }

    // An aggregated role has what the roles it selects have, theirs aggregated too (the controller fills view's
    // rules, and edit then takes them from view): followed to the end, each role once.
    private IEnumerable<PolicyRule> ClusterRoleRules(string name, HashSet<string>? seen = null)
    {
        seen ??= [];
        seen.Add(name);
        var role = store.Get(ClusterRoles, name);
        if (role is null || Parse(role)["aggregationRule"]?["clusterRoleSelectors"] is not JsonArray selectors)
        {
            return RulesOf(role);
        }

        var matchers = selectors.Select(selector => Storage.LabelSelector.Parse(SelectorText(selector))).ToList();
        return store.Snapshot(ClusterRoles, ObjectFilter.All)
            .Where(other => !seen.Contains(other.Name) && matchers.Any(matcher => matcher is null || matcher.Matches(other.Labels)))
            .ToList()
            .SelectMany(other => seen.Contains(other.Name) ? [] : ClusterRoleRules(other.Name, seen))
            .ToList();
    }

    private IEnumerable<PolicyRule> RulesOf(StoredObject? role) =>
        role is null ? [] : (Parse(role)["rules"] as JsonArray ?? []).Select(PolicyRule.Parse);

    private JsonObject Parse(StoredObject stored) => parsed.GetValue(stored, item => item.ToJsonObject());

    private static bool AppliesTo(JsonNode? subject, UserInfo user, string bindingNamespace)
    {
        var name = (string?)subject?["name"] ?? "";
        return (string?)subject?["kind"] switch
        {
            "User" => user.Username == name,
            "Group" => user.Groups.Contains(name),
            "ServiceAccount" => SubjectName(subject!, bindingNamespace) is var qualified && qualified.Contains('/', StringComparison.Ordinal)
                && user.Username == $"{UserInfo.ServiceAccountPrefix}{qualified.Replace('/', ':')}",
            _ => false,
        };
    }

    // A ServiceAccount subject is namespace/name (its namespace defaults to the RoleBinding's); others are their name.
    private static string SubjectName(JsonNode subject, string bindingNamespace)
    {
        var name = (string?)subject["name"] ?? "";
        if ((string?)subject["kind"] != "ServiceAccount")
        {
            return name;
        }

        var ns = (string?)subject["namespace"] is { Length: > 0 } given ? given : bindingNamespace;
        return ns.Length == 0 ? name : $"{ns}/{name}";
    }

    // A metav1.LabelSelector as selector text: matchLabels and the four matchExpressions operators.
    private static string SelectorText(JsonNode? selector)
    {
        var parts = new List<string>();
        foreach (var (key, value) in selector?["matchLabels"] as JsonObject ?? [])
        {
            parts.Add($"{key}={(string?)value}");
        }

        foreach (var expression in selector?["matchExpressions"] as JsonArray ?? [])
        {
            var key = (string?)expression?["key"] ?? "";
            var values = string.Join(",", (expression?["values"] as JsonArray ?? []).Select(value => (string?)value));
            parts.Add((string?)expression?["operator"] switch
            {
                "In" => $"{key} in ({values})",
                "NotIn" => $"{key} notin ({values})",
                "DoesNotExist" => $"!{key}",
                _ => key,
            });
        }

        return string.Join(",", parts);
    }
}
