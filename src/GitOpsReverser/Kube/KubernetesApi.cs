using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace GitOpsReverser.Kube;

/// <summary>Raw list and watch requests for any resource type, answering JSON objects.</summary>
internal sealed class KubernetesApi(HttpClient http)
{

    /// <summary>One page of a cluster-wide list; items carry kind and apiVersion even where typed lists leave them out.</summary>
    public async Task<(List<JsonObject> Items, string ResourceVersion, string? Continue)> ListAsync(
        WatchedResource resource, string? continueToken, int limit, TimeSpan pageTimeout, CancellationToken cancellationToken)
    {
        var url = $"{resource.CollectionPath}?limit={limit.ToString(CultureInfo.InvariantCulture)}";
        if (continueToken is not null)
        {
            url += "&continue=" + Uri.EscapeDataString(continueToken);
        }

        // The client has no overall timeout (watches stream for minutes); a list that hangs must not.
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(pageTimeout);
        using var response = await http.GetAsync(url, timeout.Token);
        if (!response.IsSuccessStatusCode)
        {
            throw await ErrorAsync(response, timeout.Token);
        }

        var list = (await JsonNode.ParseAsync(await response.Content.ReadAsStreamAsync(timeout.Token), cancellationToken: timeout.Token))!.AsObject();
        var items = new List<JsonObject>();
        foreach (var item in list["items"] as JsonArray ?? [])
        {
            if (item is JsonObject obj)
            {
                obj["kind"] ??= resource.Kind;
                obj["apiVersion"] ??= resource.ApiVersion;
                items.Add(obj);
            }
        }

        var metadata = list["metadata"];
        var next = (string?)metadata?["continue"];
        return (items, (string?)metadata?["resourceVersion"] ?? "", string.IsNullOrEmpty(next) ? null : next);
    }

    /// <summary>Watch events after <paramref name="resourceVersion"/>, with bookmarks; ends when the server ends the stream.</summary>
    public async IAsyncEnumerable<(string Type, JsonObject Object)> WatchAsync(
        WatchedResource resource, string resourceVersion, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var url = $"{resource.CollectionPath}?watch=true&allowWatchBookmarks=true&resourceVersion={Uri.EscapeDataString(resourceVersion)}";
        using var response = await http.GetAsync(url, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            throw await ErrorAsync(response, cancellationToken);
        }

        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(cancellationToken));
        while (await reader.ReadLineAsync(cancellationToken) is { } line)
        {
            if (line.Length == 0)
            {
                continue;
            }

            var node = JsonNode.Parse(line)!.AsObject();
            var type = (string?)node["type"] ?? "";
            var obj = node["object"] as JsonObject ?? new JsonObject();
            if (type == "ERROR")
            {
                throw new KubernetesApiException((int?)obj["code"] ?? 500, (string?)obj["reason"] ?? "", (string?)obj["message"] ?? "watch error");
            }

            obj["kind"] ??= resource.Kind;
            obj["apiVersion"] ??= resource.ApiVersion;
            yield return (type, obj);
        }
    }

    private static async Task<KubernetesApiException> ErrorAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var code = (int)response.StatusCode;
        var retryAfter = response.Headers.RetryAfter?.Delta;
        try
        {
            var status = JsonNode.Parse(await response.Content.ReadAsStringAsync(cancellationToken)) as JsonObject;
            return new KubernetesApiException(code, (string?)status?["reason"] ?? response.ReasonPhrase ?? "", (string?)status?["message"] ?? "", retryAfter);
        }
        catch (JsonException)
        {
            return new KubernetesApiException(code, response.ReasonPhrase ?? "", "the server answered without a Status", retryAfter);
        }
    }
}
