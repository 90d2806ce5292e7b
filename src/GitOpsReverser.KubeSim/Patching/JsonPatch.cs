using System.Globalization;
using System.Text.Json.Nodes;
using GitOpsReverser.KubeSim.Api;

namespace GitOpsReverser.KubeSim.Patching;

/// <summary>
/// RFC 6902 JSON patch (add, remove, replace, move, copy and test) as the API server applies it, with its library's
/// leniency: <c>replace</c> of a missing object key adds it.
/// </summary>
internal static class JsonPatch
{
    public static JsonObject Apply(JsonObject target, JsonNode? patch)
    {
        if (patch is not JsonArray operations)
        {
            throw ApiException.BadRequest("json patch must be an array of operations");
        }

        var document = target.DeepClone();
        foreach (var operationNode in operations)
        {
            if (operationNode is not JsonObject operation)
            {
                throw ApiException.BadRequest("json patch operation must be an object");
            }

            var op = (string?)operation["op"] ?? throw ApiException.BadRequest("json patch operation has no \"op\"");
            var path = (string?)operation["path"] ?? throw ApiException.BadRequest($"json patch {op} has no \"path\"");
            switch (op)
            {
                case "add":
                    Add(document, path, Required(operation, "value").DeepClone());
                    break;
                case "remove":
                    Remove(document, path);
                    break;
                case "replace":
                    Replace(document, path, Required(operation, "value").DeepClone());
                    break;
                case "move":
                    {
                        var from = (string?)operation["from"] ?? throw ApiException.BadRequest("move has no \"from\"");
                        var value = Get(document, from).DeepClone();
                        Remove(document, from);
                        Add(document, path, value);
                        break;
                    }

                case "copy":
                    {
                        var from = (string?)operation["from"] ?? throw ApiException.BadRequest("copy has no \"from\"");
                        Add(document, path, Get(document, from).DeepClone());
                        break;
                    }

                case "test":
                    if (!JsonNode.DeepEquals(Get(document, path), operation["value"]))
                    {
                        throw Unprocessable($"testing value {path} failed: test failed");
                    }

                    break;
                default:
                    throw ApiException.BadRequest($"Unexpected kind: {op}");
            }
        }

        return document as JsonObject ?? throw ApiException.BadRequest("json patch must leave an object");
    }

    private static JsonNode Required(JsonObject operation, string name) =>
        operation.TryGetPropertyValue(name, out var value) && value is not null
            ? value
            : throw ApiException.BadRequest($"json patch {(string?)operation["op"]} has no \"{name}\"");

    private static List<string> Tokens(string path)
    {
        if (path.Length == 0)
        {
            return [];
        }

        if (path[0] != '/')
        {
            throw ApiException.BadRequest($"json patch path {path} must start with /");
        }

        return [.. path[1..].Split('/').Select(token => token.Replace("~1", "/", StringComparison.Ordinal).Replace("~0", "~", StringComparison.Ordinal))];
    }

    private static JsonNode Get(JsonNode document, string path)
    {
        var node = document;
        foreach (var token in Tokens(path))
        {
            node = Child(node, token, path) ?? throw Unprocessable($"doc is missing path: \"{path}\": missing value");
        }

        return node;
    }

    private static JsonNode? Child(JsonNode node, string token, string path) => node switch
    {
        JsonObject obj => obj[token],
        JsonArray array => array[Index(array, token, path, allowEnd: false)],
        _ => throw Unprocessable($"doc is missing path: \"{path}\": missing value"),
    };

    private static void Add(JsonNode document, string path, JsonNode value)
    {
        var tokens = Tokens(path);
        var parent = Get(document, string.Concat(tokens.SkipLast(1).Select(token => "/" + Escape(token))));
        var last = tokens[^1];
        switch (parent)
        {
            case JsonObject obj:
                obj[last] = value;
                break;
            case JsonArray array:
                var index = last == "-" ? array.Count : Index(array, last, path, allowEnd: true);
                array.Insert(index, value);
                break;
            default:
                throw Unprocessable($"doc is missing path: \"{path}\": missing value");
        }
    }

    // As the API server's json-patch (evanphx v4) does: an object's key is set whether or not it was there; an array's
    // element must exist.
    private static void Replace(JsonNode document, string path, JsonNode value)
    {
        var tokens = Tokens(path);
        if (tokens.Count == 0)
        {
            throw Unprocessable($"replace operation does not apply: doc is missing path: {path}");
        }

        var parent = Get(document, string.Concat(tokens.SkipLast(1).Select(token => "/" + Escape(token))));
        switch (parent)
        {
            case JsonObject obj:
                obj[tokens[^1]] = value;
                break;
            case JsonArray array:
                array[Index(array, tokens[^1], path, allowEnd: false)] = value;
                break;
            default:
                throw Unprocessable($"replace operation does not apply: doc is missing path: {path}");
        }
    }

    private static void Remove(JsonNode document, string path)
    {
        var tokens = Tokens(path);
        var parent = Get(document, string.Concat(tokens.SkipLast(1).Select(token => "/" + Escape(token))));
        var last = tokens[^1];
        switch (parent)
        {
            case JsonObject obj when obj.ContainsKey(last):
                obj.Remove(last);
                break;
            case JsonArray array:
                array.RemoveAt(Index(array, last, path, allowEnd: false));
                break;
            default:
                throw Unprocessable($"Unable to remove nonexistent key: {last}: missing value");
        }
    }

    private static int Index(JsonArray array, string token, string path, bool allowEnd)
    {
        if (!int.TryParse(token, NumberStyles.None, CultureInfo.InvariantCulture, out var index)
            || index > array.Count || (!allowEnd && index == array.Count))
        {
            throw Unprocessable($"doc is missing path: \"{path}\": missing value");
        }

        return index;
    }

    private static string Escape(string token) => token.Replace("~", "~0", StringComparison.Ordinal).Replace("/", "~1", StringComparison.Ordinal);

    private static ApiException Unprocessable(string message) => new(422, "Invalid", message);
}
