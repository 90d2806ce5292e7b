using System.Text.Json.Nodes;

namespace GitOpsReverser.Kube;

/// <summary>
/// Reads the API server's legacy discovery documents: the core group's <c>/api/v1</c> and every served
/// version of every named group, as <c>kubectl api-resources</c> does. Each kind is
/// <see cref="DiscoveredResource.Preferred"/> in one version: the group's preferred version when it serves
/// the kind, else the highest-priority version that does (a group may serve some kinds in <c>v1</c> only and
/// others in <c>v1alpha1</c> only). Subresources (<c>pods/status</c>) are left out. Run it again to see CRDs
/// installed or removed since.
/// </summary>
internal sealed class ApiDiscovery(HttpClient http)
{
    public async Task<IReadOnlyList<DiscoveredResource>> DiscoverAsync(CancellationToken cancellationToken)
    {
        var resources = new List<DiscoveredResource>();
        resources.AddRange(await ResourcesAsync("api/v1", "", "v1", true, cancellationToken));
        var groups = await GetAsync("apis", cancellationToken);
        foreach (var group in groups["groups"] as JsonArray ?? [])
        {
            var name = (string?)group?["name"] ?? "";
            var preferred = (string?)group?["preferredVersion"]?["version"];
            var versions = (group?["versions"] as JsonArray ?? []).Select(version => (string?)version?["version"]).OfType<string>()
                .OrderBy(version => version == preferred ? 0 : 1).ThenBy(version => version, VersionPriority.Instance).ToList();
            if (name.Length == 0)
            {
                continue;
            }

            // Versions in the order a kind's version is chosen: the preferred one, then by priority.
            var seenKinds = new HashSet<string>(StringComparer.Ordinal);
            foreach (var version in versions)
            {
                foreach (var resource in await ResourcesAsync($"apis/{name}/{version}", name, version, false, cancellationToken))
                {
                    resources.Add(resource with { Preferred = seenKinds.Add(resource.Kind) });
                }
            }
        }

        return resources;
    }

    private async Task<IEnumerable<DiscoveredResource>> ResourcesAsync(
        string path, string group, string version, bool preferred, CancellationToken cancellationToken)
    {
        JsonObject list;
        try
        {
            list = await GetAsync(path, cancellationToken);
        }
        catch (HttpRequestException exception) when (exception.StatusCode == System.Net.HttpStatusCode.NotFound)
        {
            // A group or version removed between the two requests (a CRD deleted meanwhile).
            return [];
        }

        return (list["resources"] as JsonArray ?? [])
            .OfType<JsonObject>()
            .Where(resource => !((string?)resource["name"] ?? "/").Contains('/', StringComparison.Ordinal))
            .Select(resource => new DiscoveredResource(group, version, (string)resource["name"]!, (string?)resource["kind"] ?? "",
                resource["namespaced"]?.GetValue<bool>() ?? false,
                [.. (resource["verbs"] as JsonArray ?? []).Select(verb => (string?)verb ?? "")])
            {
                Preferred = preferred,
            })
            .ToList();
    }

    private async Task<JsonObject> GetAsync(string path, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Accept.ParseAdd("application/json");
        using var response = await http.SendAsync(request, cancellationToken);
        response.EnsureSuccessStatusCode();
        return (await JsonNode.ParseAsync(await response.Content.ReadAsStreamAsync(cancellationToken), cancellationToken: cancellationToken))!.AsObject();
    }
}
