using System.Text.Json.Nodes;

namespace GitOpsReverser.Discovery;

/// <summary>
/// Reads the API server's legacy discovery documents: the core group's <c>/api/v1</c> and, for every
/// named group, its preferred version. Subresources (<c>pods/status</c>) are left out. Run it again to
/// see CRDs installed or removed since.
/// </summary>
internal sealed class ApiDiscovery(HttpClient http)
{
    public async Task<IReadOnlyList<DiscoveredResource>> DiscoverAsync(CancellationToken cancellationToken)
    {
        var resources = new List<DiscoveredResource>();
        resources.AddRange(await ResourcesAsync("api/v1", "", "v1", cancellationToken));
        var groups = await GetAsync("apis", cancellationToken);
        foreach (var group in groups["groups"] as JsonArray ?? [])
        {
            var name = (string?)group?["name"] ?? "";
            var version = (string?)group?["preferredVersion"]?["version"];
            if (name.Length > 0 && version is not null)
            {
                resources.AddRange(await ResourcesAsync($"apis/{name}/{version}", name, version, cancellationToken));
            }
        }

        return resources;
    }

    private async Task<IEnumerable<DiscoveredResource>> ResourcesAsync(string path, string group, string version, CancellationToken cancellationToken)
    {
        JsonObject list;
        try
        {
            list = await GetAsync(path, cancellationToken);
        }
        catch (HttpRequestException exception) when (exception.StatusCode == System.Net.HttpStatusCode.NotFound)
        {
            // A group removed between the two requests (a CRD deleted meanwhile).
            return [];
        }

        return (list["resources"] as JsonArray ?? [])
            .OfType<JsonObject>()
            .Where(resource => !((string?)resource["name"] ?? "/").Contains('/', StringComparison.Ordinal))
            .Select(resource => new DiscoveredResource(group, version, (string)resource["name"]!, (string?)resource["kind"] ?? "",
                resource["namespaced"]?.GetValue<bool>() ?? false,
                [.. (resource["verbs"] as JsonArray ?? []).Select(verb => (string?)verb ?? "")]));
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
