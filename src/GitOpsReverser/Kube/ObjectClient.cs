using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;

namespace GitOpsReverser.Kube;

/// <summary>
/// Reads and writes single objects of any resource type, for <c>gitops-reverser restore</c>: get, server-side
/// apply (optionally as a dry run, optionally forcing conflicts), a JSON patch, and delete, each as one field
/// manager. An error answer throws <see cref="ApiServerException"/> with the server's own reason and message.
/// </summary>
internal sealed class ObjectClient(HttpClient http, string fieldManager)
{
    public string FieldManager { get; } = fieldManager;

    /// <summary>The object, or null when the server has none by that name.</summary>
    public async Task<JsonObject?> GetAsync(WatchedResource resource, string? ns, string name, CancellationToken cancellationToken)
    {
        using var response = await http.GetAsync(ItemPath(resource, ns, name), cancellationToken);
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }

        return await ReadAsync(response, cancellationToken);
    }

    /// <summary>Server-side apply of <paramref name="body"/>; the object the server made of it (not stored when <paramref name="dryRun"/>).</summary>
    public async Task<JsonObject> ApplyAsync(WatchedResource resource, string? ns, string name, JsonObject body, bool dryRun, bool force,
        CancellationToken cancellationToken)
    {
        var query = $"?fieldManager={Uri.EscapeDataString(FieldManager)}&fieldValidation=Strict{(force ? "&force=true" : "")}{(dryRun ? "&dryRun=All" : "")}";
        using var content = new StringContent(body.ToJsonString(), Encoding.UTF8);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/apply-patch+yaml");
        using var response = await http.PatchAsync(ItemPath(resource, ns, name) + query, content, cancellationToken);
        return await ReadAsync(response, cancellationToken);
    }

    /// <summary>A JSON patch (RFC 6902) of the object; the object after it.</summary>
    public async Task<JsonObject> JsonPatchAsync(WatchedResource resource, string? ns, string name, JsonArray operations, bool dryRun,
        CancellationToken cancellationToken)
    {
        var query = $"?fieldManager={Uri.EscapeDataString(FieldManager)}{(dryRun ? "&dryRun=All" : "")}";
        using var content = new StringContent(operations.ToJsonString(), Encoding.UTF8);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json-patch+json");
        using var response = await http.PatchAsync(ItemPath(resource, ns, name) + query, content, cancellationToken);
        return await ReadAsync(response, cancellationToken);
    }

    /// <summary>Deletes the object (in the background, as kubectl does); a missing one is no error.</summary>
    public async Task DeleteAsync(WatchedResource resource, string? ns, string name, bool dryRun, CancellationToken cancellationToken)
    {
        using var response = await http.DeleteAsync(ItemPath(resource, ns, name) + (dryRun ? "?dryRun=All" : ""), cancellationToken);
        if (response.StatusCode != HttpStatusCode.NotFound && !response.IsSuccessStatusCode)
        {
            throw await ApiServerClient.ErrorAsync(response, cancellationToken);
        }
    }

    /// <summary><c>api/v1/namespaces/NS/configmaps/NAME</c>, <c>apis/GROUP/VERSION/PLURAL/NAME</c>.</summary>
    public static string ItemPath(WatchedResource resource, string? ns, string name) =>
        (resource.Group.Length == 0 ? $"api/{resource.Version}" : $"apis/{resource.Group}/{resource.Version}")
        + (resource.Namespaced && ns is not null ? $"/namespaces/{Uri.EscapeDataString(ns)}" : "")
        + $"/{resource.Plural}/{Uri.EscapeDataString(name)}";

    private static async Task<JsonObject> ReadAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        if (!response.IsSuccessStatusCode)
        {
            throw await ApiServerClient.ErrorAsync(response, cancellationToken);
        }

        return JsonNode.Parse(await response.Content.ReadAsStringAsync(cancellationToken)) as JsonObject
            ?? throw new ApiServerException((int)response.StatusCode, "", string.Create(CultureInfo.InvariantCulture, $"the server answered {(int)response.StatusCode} without an object"));
    }
}
