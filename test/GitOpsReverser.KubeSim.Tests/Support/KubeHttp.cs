using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using GitOpsReverser.KubeSim.Hosting;

namespace GitOpsReverser.KubeSim.Tests.Support;

/// <summary>Raw HTTP to KubeSim over TLS that trusts its CA only, with a bearer token: for what client libraries hide.</summary>
internal sealed class KubeHttp : IDisposable
{
    private readonly HttpClient client;

    public KubeHttp(KubeSimServer server, string? token)
    {
        var handler = server.CreateClientHandler();
        client = new HttpClient(handler) { BaseAddress = server.Url, Timeout = TimeSpan.FromSeconds(30) };
        if (token is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }
    }

    public HttpClient Client => client;

    public async Task<(int Code, JsonObject Body, HttpResponseMessage Response)> SendAsync(
        HttpMethod method, string path, JsonNode? body = null, string contentType = "application/json", string? accept = null)
    {
        using var request = new HttpRequestMessage(method, path);
        if (body is not null)
        {
            request.Content = new StringContent(body.ToJsonString(), Encoding.UTF8);
            request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        }

        if (accept is not null)
        {
            request.Headers.TryAddWithoutValidation("Accept", accept);
        }

        var response = await client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        var parsed = text.Length == 0 ? new JsonObject() : JsonNode.Parse(text) as JsonObject ?? new JsonObject { ["raw"] = text };
        return ((int)response.StatusCode, parsed, response);
    }

    public async Task<JsonObject> GetAsync(string path)
    {
        var (code, body, _) = await SendAsync(HttpMethod.Get, path);
        code.Should().Be(200, body.ToJsonString());
        return body;
    }

    public async Task<JsonObject> CreateAsync(string collectionPath, JsonObject obj)
    {
        var (code, body, _) = await SendAsync(HttpMethod.Post, collectionPath, obj);
        code.Should().Be(201, body.ToJsonString());
        return body;
    }

    /// <summary>Opens a watch and returns a reader of its event lines.</summary>
    public async Task<WatchLines> WatchAsync(string pathAndQuery)
    {
        var response = await client.GetAsync(pathAndQuery, HttpCompletionOption.ResponseHeadersRead);
        return new WatchLines(response, new StreamReader(await response.Content.ReadAsStreamAsync()));
    }

    public void Dispose() => client.Dispose();

    public static JsonObject ConfigMap(string ns, string name, Dictionary<string, string>? data = null, Dictionary<string, string>? labels = null)
    {
        var metadata = new JsonObject { ["name"] = name, ["namespace"] = ns };
        if (labels is not null)
        {
            metadata["labels"] = new JsonObject(labels.Select(pair => new KeyValuePair<string, JsonNode?>(pair.Key, pair.Value)));
        }

        var obj = new JsonObject { ["apiVersion"] = "v1", ["kind"] = "ConfigMap", ["metadata"] = metadata };
        if (data is not null)
        {
            obj["data"] = new JsonObject(data.Select(pair => new KeyValuePair<string, JsonNode?>(pair.Key, pair.Value)));
        }

        return obj;
    }
}

/// <summary>The lines of one watch response.</summary>
internal sealed class WatchLines(HttpResponseMessage response, StreamReader reader) : IDisposable
{
    public int StatusCode => (int)response.StatusCode;

    /// <summary>The next event, or null when the stream ended; fails the test after <paramref name="seconds"/>.</summary>
    public async Task<JsonObject?> NextAsync(double seconds = 10)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(seconds));
        try
        {
            var line = await reader.ReadLineAsync(timeout.Token);
            return line is null ? null : JsonNode.Parse(line)!.AsObject();
        }
        catch (OperationCanceledException)
        {
            Assert.Fail($"no watch event within {seconds} s");
            return null;
        }
    }

    /// <summary>The next event that is not a BOOKMARK within <paramref name="seconds"/>, or null when none came.</summary>
    public async Task<JsonObject?> ChangeWithinAsync(double seconds)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(seconds));
        try
        {
            while (await reader.ReadLineAsync(timeout.Token) is { } line)
            {
                var next = JsonNode.Parse(line)!.AsObject();
                if ((string?)next["type"] != "BOOKMARK")
                {
                    return next;
                }
            }

            return null;
        }
        catch (OperationCanceledException)
        {
            return null;
        }
    }

    /// <summary>The next event that is not a BOOKMARK.</summary>
    public async Task<JsonObject?> NextChangeAsync(double seconds = 10)
    {
        while (true)
        {
            var next = await NextAsync(seconds);
            if (next is null || (string?)next["type"] != "BOOKMARK")
            {
                return next;
            }
        }
    }

    public void Dispose()
    {
        reader.Dispose();
        response.Dispose();
    }
}
