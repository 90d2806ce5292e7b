using System.Text.Json.Nodes;

namespace GitOpsReverser.Manifests;

/// <summary>
/// An object as its leaves: every path to a value that is not a non-empty mapping. Lists are leaves as a whole
/// (their elements have no stable path), so a restore compares and replaces a list at once.
/// </summary>
internal static class JsonLeaves
{
    public static Dictionary<string, JsonNode?> Of(JsonObject? root)
    {
        var leaves = new Dictionary<string, JsonNode?>(StringComparer.Ordinal);
        if (root is not null)
        {
            Collect(root, "", leaves);
        }

        return leaves;
    }

    /// <summary>The value at a JSON pointer, and whether there is one (a null value is one).</summary>
    public static (bool Found, JsonNode? Value) At(JsonObject? root, string pointer)
    {
        JsonNode? node = root;
        foreach (var token in Tokens(pointer))
        {
            if (node is not JsonObject mapping || !mapping.TryGetPropertyValue(token, out var child))
            {
                return (false, null);
            }

            node = child;
        }

        return (root is not null, node);
    }

    /// <summary>A JSON pointer as people read a field: <c>spec.template.metadata.labels["app.kubernetes.io/name"]</c>.</summary>
    public static string Display(string pointer) => Tokens(pointer).Aggregate("", Child);

    /// <summary>A field's display path one key further: <c>.key</c> for plain keys, <c>["a.b/c"]</c> for others.</summary>
    public static string Child(string path, string key) =>
        key.Length > 0 && key.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-')
            ? (path.Length == 0 ? key : $"{path}.{key}")
            : $"{path}[\"{key.Replace("\"", "\\\"", StringComparison.Ordinal)}\"]";

    private static void Collect(JsonObject mapping, string pointer, Dictionary<string, JsonNode?> leaves)
    {
        if (mapping.Count == 0 && pointer.Length > 0)
        {
            leaves[pointer] = mapping;
            return;
        }

        foreach (var (key, value) in mapping)
        {
            var child = $"{pointer}/{key.Replace("~", "~0", StringComparison.Ordinal).Replace("/", "~1", StringComparison.Ordinal)}";
            if (value is JsonObject nested)
            {
                Collect(nested, child, leaves);
            }
            else
            {
                leaves[child] = value;
            }
        }
    }

    /// <summary>The keys a JSON pointer names, unescaped.</summary>
    public static string[] Tokens(string pointer) => [.. pointer.Split('/').Skip(1).Select(Unescape)];

    /// <summary>The mapping holding the value at <paramref name="pointer"/> and its key there, when that mapping exists.</summary>
    public static (JsonObject Parent, string Key)? Parent(JsonObject root, string pointer)
    {
        var tokens = Tokens(pointer);
        JsonNode? node = root;
        foreach (var token in tokens[..^1])
        {
            node = node is JsonObject mapping && mapping.TryGetPropertyValue(token, out var child) ? child : null;
        }

        return node is JsonObject parent ? (parent, tokens[^1]) : null;
    }

    private static string Unescape(string token) => token.Replace("~1", "/", StringComparison.Ordinal).Replace("~0", "~", StringComparison.Ordinal);
}
