using System.Text.Json.Nodes;

namespace GitOpsReverser.KubeSim.Security;

/// <summary>One RBAC rule of a Role or ClusterRole, matched as the API server's RBAC authorizer matches it.</summary>
internal sealed record PolicyRule(
    IReadOnlyList<string> Verbs, IReadOnlyList<string> ApiGroups, IReadOnlyList<string> Resources, IReadOnlyList<string> ResourceNames,
    IReadOnlyList<string> NonResourceUrls)
{
    private const string All = "*";

    public static PolicyRule Parse(JsonNode? rule) => new(
        Strings(rule?["verbs"]), Strings(rule?["apiGroups"]), Strings(rule?["resources"]), Strings(rule?["resourceNames"]),
        Strings(rule?["nonResourceURLs"]));

    public bool Allows(RequestAttributes request)
    {
        if (!Verbs.Contains(All) && !Verbs.Contains(request.Verb))
        {
            return false;
        }

        if (!request.IsResourceRequest)
        {
            return NonResourceUrls.Any(url => url == All || url == request.Path
                || (url.EndsWith('*') && request.Path!.StartsWith(url[..^1], StringComparison.Ordinal)));
        }

        return (ApiGroups.Contains(All) || ApiGroups.Contains(request.Group))
            && ResourceMatches(request)
            && (ResourceNames.Count == 0 || (request.Name is { } name && ResourceNames.Contains(name)));
    }

    // "*" matches every resource and subresource, "pods/log" one subresource, "*/scale" that subresource of any resource.
    private bool ResourceMatches(RequestAttributes request) =>
        Resources.Any(resource => resource == All
            || resource == request.CombinedResource
            || (request.Subresource is { } sub && resource == $"*/{sub}"));

    private static string[] Strings(JsonNode? node) =>
        node is JsonArray array ? [.. array.Select(item => (string?)item ?? "")] : [];
}
