using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace GitOpsReverser.Attribution;

/// <summary>
/// A Secret the operator keeps in its own namespace for every replica (the webhook's certificate, its capability):
/// read it, and write it with the version read, so that of two replicas writing at once one wins and the other
/// reads the winner's.
/// </summary>
internal static class OperatorSecret
{
    /// <summary>The Secret, or null when there is none; throws for anything but 200 and 404.</summary>
    public static async Task<JsonObject?> ReadAsync(HttpClient http, string ns, string name, CancellationToken cancellationToken)
    {
        using var response = await http.GetAsync($"api/v1/namespaces/{ns}/secrets/{name}", cancellationToken);
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }

        return response.IsSuccessStatusCode
            ? await response.Content.ReadFromJsonAsync<JsonObject>(cancellationToken)
            : throw new InvalidOperationException($"cannot read the Secret {ns}/{name}: {(int)response.StatusCode}");
    }

    /// <summary>Creates the Secret, or replaces <paramref name="existing"/>; false when another writer came first.</summary>
    public static async Task<bool> WriteAsync(HttpClient http, string ns, string name, JsonObject? existing, string type, JsonObject data,
        CancellationToken cancellationToken)
    {
        var body = new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "Secret",
            ["metadata"] = new JsonObject
            {
                ["name"] = name,
                ["namespace"] = ns,
                ["labels"] = new JsonObject { ["app.kubernetes.io/name"] = "gitops-reverser" },
            },
            ["type"] = type,
            ["data"] = data,
        };
        if (existing?["metadata"]?["resourceVersion"] is { } version)
        {
            body["metadata"]!["resourceVersion"] = version.DeepClone();
        }

        using var written = existing is null
            ? await http.PostAsJsonAsync($"api/v1/namespaces/{ns}/secrets", body, cancellationToken)
            : await http.PutAsJsonAsync($"api/v1/namespaces/{ns}/secrets/{name}", body, cancellationToken);
        if (written.IsSuccessStatusCode)
        {
            return true;
        }

        return written.StatusCode == HttpStatusCode.Conflict
            ? false
            : throw new InvalidOperationException($"cannot write the Secret {ns}/{name}: {(int)written.StatusCode} {await written.Content.ReadAsStringAsync(cancellationToken)}");
    }
}
