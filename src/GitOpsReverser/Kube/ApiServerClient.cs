using System.Buffers;
using System.Globalization;
using System.IO.Pipelines;
using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Nodes;
using GitOpsReverser.Manifests;

namespace GitOpsReverser.Kube;

/// <summary>Raw list and watch requests for any resource type, read once into the manifest model.</summary>
internal sealed class ApiServerClient(HttpClient http)
{

    /// <summary>
    /// One page of a cluster-wide list, each item read once, straight into the manifest model; items carry
    /// kind and apiVersion even where typed lists leave them out.
    /// </summary>
    public async Task<(List<MappingNode> Items, string ResourceVersion, string? Continue)> ListAsync(
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

        return ReadList(await response.Content.ReadAsByteArrayAsync(timeout.Token), resource);
    }

    /// <summary>Watch events after <paramref name="resourceVersion"/>, with bookmarks; ends when the server ends the stream.</summary>
    public async IAsyncEnumerable<(string Type, MappingNode Object)> WatchAsync(
        WatchedResource resource, string resourceVersion, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var url = $"{resource.CollectionPath}?watch=true&allowWatchBookmarks=true&resourceVersion={Uri.EscapeDataString(resourceVersion)}";
        using var response = await http.GetAsync(url, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            throw await ErrorAsync(response, cancellationToken);
        }

        // Events are lines of JSON, read as the bytes they arrive in.
        var reader = PipeReader.Create(await response.Content.ReadAsStreamAsync(cancellationToken));
        try
        {
            while (true)
            {
                var read = await reader.ReadAsync(cancellationToken);
                var buffer = read.Buffer;
                var events = new List<(string Type, MappingNode Object)>();
                while (buffer.PositionOf((byte)'\n') is { } end)
                {
                    var line = buffer.Slice(0, end);
                    buffer = buffer.Slice(buffer.GetPosition(1, end));
                    if (!line.IsEmpty)
                    {
                        events.Add(ReadWatchEvent(line));
                    }
                }

                if (read.IsCompleted && !buffer.IsEmpty)
                {
                    // A last event the stream ended without a newline after.
                    events.Add(ReadWatchEvent(buffer));
                    buffer = buffer.Slice(buffer.End);
                }

                reader.AdvanceTo(buffer.Start, buffer.End);
                foreach (var (type, obj) in events)
                {
                    if (type == "ERROR")
                    {
                        throw new ApiServerException(
                            int.TryParse(obj.GetString("code") ?? (obj["code"] as ScalarNode)?.Text, CultureInfo.InvariantCulture, out var code) ? code : 500,
                            obj.GetString("reason") ?? "", obj.GetString("message") ?? "watch error");
                    }

                    Complete(obj, resource);
                    yield return (type, obj);
                }

                if (read.IsCompleted)
                {
                    yield break;
                }
            }
        }
        finally
        {
            await reader.CompleteAsync();
        }
    }

    private static (List<MappingNode> Items, string ResourceVersion, string? Continue) ReadList(byte[] page, WatchedResource resource)
    {
        var items = new List<MappingNode>();
        string? version = null, next = null;
        var reader = new Utf8JsonReader(page);
        Expect(reader.Read() && reader.TokenType == JsonTokenType.StartObject, "a list");
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var property = reader.GetString();
            reader.Read();
            if (property == "items" && reader.TokenType == JsonTokenType.StartArray)
            {
                while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                {
                    if (ReadObject(ref reader) is { } item)
                    {
                        Complete(item, resource);
                        items.Add(item);
                    }
                }
            }
            else if (property == "metadata" && reader.TokenType == JsonTokenType.StartObject)
            {
                while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
                {
                    var field = reader.GetString();
                    reader.Read();
                    if (field is "resourceVersion" or "continue" && reader.TokenType == JsonTokenType.String)
                    {
                        (field == "continue" ? ref next : ref version) = reader.GetString();
                    }
                    else
                    {
                        reader.Skip();
                    }
                }
            }
            else
            {
                reader.Skip();
            }
        }

        return (items, version ?? "", string.IsNullOrEmpty(next) ? null : next);
    }

    private static (string Type, MappingNode Object) ReadWatchEvent(ReadOnlySequence<byte> line)
    {
        string? type = null;
        MappingNode? obj = null;
        var reader = new Utf8JsonReader(line);
        Expect(reader.Read() && reader.TokenType == JsonTokenType.StartObject, "a watch event");
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var property = reader.GetString();
            reader.Read();
            if (property == "type" && reader.TokenType == JsonTokenType.String)
            {
                type = reader.GetString();
            }
            else if (property == "object")
            {
                obj = ReadObject(ref reader);
            }
            else
            {
                reader.Skip();
            }
        }

        return (type ?? "", obj ?? new MappingNode());
    }

    // One JSON object into the manifest model; anything that is not an object is skipped.
    private static MappingNode? ReadObject(ref Utf8JsonReader reader)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            reader.Skip();
            return null;
        }

        try
        {
            return (MappingNode)JsonManifestReader.ReadValue(ref reader);
        }
        catch (ManifestFormatException exception)
        {
            // Only a broken answer gets here (a duplicate key): read it again.
            throw new JsonException(exception.Message, exception);
        }
    }

    private static void Complete(MappingNode obj, WatchedResource resource)
    {
        obj.TryAdd("kind", ScalarNode.String(resource.Kind));
        obj.TryAdd("apiVersion", ScalarNode.String(resource.ApiVersion));
    }

    private static void Expect(bool condition, string what)
    {
        if (!condition)
        {
            throw new JsonException($"the API server's answer is not {what}");
        }
    }

    internal static async Task<ApiServerException> ErrorAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var code = (int)response.StatusCode;
        var retryAfter = response.Headers.RetryAfter?.Delta;
        try
        {
            var status = JsonNode.Parse(await response.Content.ReadAsStringAsync(cancellationToken)) as JsonObject;
            return new ApiServerException(code, (string?)status?["reason"] ?? response.ReasonPhrase ?? "", (string?)status?["message"] ?? "", retryAfter);
        }
        catch (JsonException)
        {
            return new ApiServerException(code, response.ReasonPhrase ?? "", "the server answered without a Status", retryAfter);
        }
    }
}
