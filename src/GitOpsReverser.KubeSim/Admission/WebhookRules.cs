using System.Text.Json.Nodes;
using GitOpsReverser.KubeSim.Api;
using GitOpsReverser.KubeSim.Storage;

namespace GitOpsReverser.KubeSim.Admission;

/// <summary>Which requests a webhook sees: its rules (operations, groups, versions, resources, scope) and selectors.</summary>
internal static class WebhookRules
{
    public static bool Matches(
        JsonObject hook, ResourceType type, string operation, string? subresource, JsonObject subject, JsonObject? old, ObjectStore store)
    {
        var resource = subresource is null ? type.Plural : $"{type.Plural}/{subresource}";
        var ruleMatches = (hook["rules"] as JsonArray ?? []).OfType<JsonObject>().Any(rule =>
            Contains(rule["operations"], operation)
            && Contains(rule["apiGroups"], type.Group)
            && Contains(rule["apiVersions"], type.Version)
            && ResourceMatches(rule["resources"], resource, subresource)
            && ScopeMatches((string?)rule["scope"] ?? "*", type));
        if (!ruleMatches)
        {
            return false;
        }

        var objectLabels = Labels(subject);
        if (!SelectorMatches(hook["objectSelector"] as JsonObject, objectLabels)
            && (old is null || !SelectorMatches(hook["objectSelector"] as JsonObject, Labels(old))))
        {
            return false;
        }

        if (hook["namespaceSelector"] is JsonObject namespaceSelector && namespaceSelector.Count > 0)
        {
            if (type.Kind == "Namespace" && !type.IsCustom)
            {
                return SelectorMatches(namespaceSelector, objectLabels);
            }

            if (!type.Namespaced)
            {
                return true;
            }

            var ns = store.Get("namespaces", (string?)subject["metadata"]?["namespace"] ?? "");
            return ns is not null && SelectorMatches(namespaceSelector, ns.Labels);
        }

        return true;
    }

    /// <summary>A metav1.LabelSelector (matchLabels and matchExpressions) against labels; empty selects everything.</summary>
    public static bool SelectorMatches(JsonObject? selector, IReadOnlyDictionary<string, string> labels)
    {
        if (selector is null)
        {
            return true;
        }

        foreach (var (key, value) in selector["matchLabels"] as JsonObject ?? [])
        {
            if (!labels.TryGetValue(key, out var actual) || actual != (string?)value)
            {
                return false;
            }
        }

        foreach (var expression in (selector["matchExpressions"] as JsonArray ?? []).OfType<JsonObject>())
        {
            var key = (string?)expression["key"] ?? "";
            var values = (expression["values"] as JsonArray ?? []).Select(node => (string?)node).ToHashSet();
            var has = labels.TryGetValue(key, out var actual);
            var holds = (string?)expression["operator"] switch
            {
                "In" => has && values.Contains(actual),
                "NotIn" => !has || !values.Contains(actual),
                "Exists" => has,
                "DoesNotExist" => !has,
                _ => false,
            };
            if (!holds)
            {
                return false;
            }
        }

        return true;
    }

    private static Dictionary<string, string> Labels(JsonObject obj) =>
        (obj["metadata"]?["labels"] as JsonObject ?? []).ToDictionary(pair => pair.Key, pair => (string?)pair.Value ?? "");

    private static bool Contains(JsonNode? list, string value) =>
        list is JsonArray array && array.Any(node => (string?)node is "*" || (string?)node == value);

    private static bool ResourceMatches(JsonNode? list, string resource, string? subresource) =>
        list is JsonArray array && array.Any(node => (string?)node switch
        {
            "*/*" => true,
            "*" => subresource is null,
            { } pattern when pattern.StartsWith("*/", StringComparison.Ordinal) => subresource == pattern[2..],
            { } pattern when pattern.EndsWith("/*", StringComparison.Ordinal) => resource.StartsWith(pattern[..^1], StringComparison.Ordinal),
            var pattern => pattern == resource,
        });

    private static bool ScopeMatches(string scope, ResourceType type) => scope switch
    {
        "Cluster" => !type.Namespaced,
        "Namespaced" => type.Namespaced,
        _ => true,
    };
}
