using System.Text;
using System.Text.Json.Nodes;

namespace GitOpsReverser.KubeSim.Patching;

/// <summary>
/// Leaf field paths of an object, in managedFields' FieldsV1 vocabulary: <c>f:name</c> for a map
/// key, <c>k:{"name":"app"}</c> for an element of a list with a merge key. A path is its tokens
/// joined by <see cref="Separator"/>; lists without a merge key are leaves (atomic).
/// </summary>
internal static class FieldPath
{
    public const char Separator = '\u001f';

    /// <summary>Every leaf path of <paramref name="node"/>, skipping top-level fields <paramref name="include"/> refuses.</summary>
    public static HashSet<string> Leaves(JsonObject node, Func<string, bool> include)
    {
        var leaves = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (key, value) in node)
        {
            if (include(key))
            {
                Collect(value, "f:" + key, key, null, leaves);
            }
        }

        return leaves;
    }

    public static JsonNode? ValueAt(JsonNode? node, string path)
    {
        foreach (var token in path.Split(Separator))
        {
            node = Step(node, token);
            if (node is null)
            {
                return null;
            }
        }

        return node;
    }

    public static void RemoveAt(JsonNode root, string path)
    {
        var tokens = path.Split(Separator);
        var parent = root;
        foreach (var token in tokens[..^1])
        {
            parent = Step(parent, token);
        }

        var last = tokens[^1];
        switch (parent)
        {
            case JsonObject obj when last.StartsWith("f:", StringComparison.Ordinal):
                obj.Remove(last[2..]);
                break;
            case JsonArray array when last.StartsWith("k:", StringComparison.Ordinal) && Step(array, last) is { } element:
                array.Remove(element);
                break;
        }
    }

    /// <summary>A path as the API server prints it in conflicts: <c>.spec.containers[name="app"].image</c>.</summary>
    public static string Render(string path)
    {
        var text = new StringBuilder();
        foreach (var token in path.Split(Separator))
        {
            if (token.StartsWith("f:", StringComparison.Ordinal))
            {
                text.Append('.').Append(token[2..]);
            }
            else
            {
                var key = JsonNode.Parse(token[2..])!.AsObject();
                text.Append('[').AppendJoin(',', key.Select(pair => $"{pair.Key}={pair.Value?.ToJsonString()}")).Append(']');
            }
        }

        return text.ToString();
    }

    public static JsonObject ToFieldsV1(IEnumerable<string> paths)
    {
        var root = new JsonObject();
        foreach (var path in paths.Order(StringComparer.Ordinal))
        {
            var node = root;
            foreach (var token in path.Split(Separator))
            {
                if (node[token] is not JsonObject child)
                {
                    child = [];
                    if (token.StartsWith("k:", StringComparison.Ordinal))
                    {
                        child["."] = new JsonObject();
                    }

                    node[token] = child;
                }

                node = child;
            }
        }

        return root;
    }

    public static HashSet<string> FromFieldsV1(JsonObject? fields)
    {
        var paths = new HashSet<string>(StringComparer.Ordinal);
        if (fields is not null)
        {
            Read(fields, null, paths);
        }

        return paths;
    }

    private static void Read(JsonObject node, string? prefix, HashSet<string> paths)
    {
        foreach (var (token, value) in node)
        {
            if (token == ".")
            {
                continue;
            }

            var path = prefix is null ? token : prefix + Separator + token;
            if (value is JsonObject child && child.Any(pair => pair.Key != "."))
            {
                Read(child, path, paths);
            }
            else
            {
                paths.Add(path);
            }
        }
    }

    private static void Collect(JsonNode? value, string path, string field, string? enclosingList, HashSet<string> leaves)
    {
        switch (value)
        {
            case JsonObject obj when obj.Count > 0:
                foreach (var (key, child) in obj)
                {
                    Collect(child, path + Separator + "f:" + key, key, enclosingList, leaves);
                }

                break;
            case JsonArray array when array.Count > 0 && MergeKeys.For(field, enclosingList) is { } mergeKey
                && array.All(element => element is JsonObject obj && obj[mergeKey] is not null):
                foreach (var element in array.Cast<JsonObject>())
                {
                    var elementPath = path + Separator + ElementToken(mergeKey, element[mergeKey]!);
                    foreach (var (key, child) in element)
                    {
                        Collect(child, elementPath + Separator + "f:" + key, key, field, leaves);
                    }
                }

                break;
            default:
                leaves.Add(path);
                break;
        }
    }

    private static string ElementToken(string mergeKey, JsonNode keyValue) =>
        "k:" + new JsonObject { [mergeKey] = keyValue.DeepClone() }.ToJsonString();

    private static JsonNode? Step(JsonNode? node, string token)
    {
        if (token.StartsWith("f:", StringComparison.Ordinal))
        {
            return node is JsonObject obj ? obj[token[2..]] : null;
        }

        if (node is not JsonArray array)
        {
            return null;
        }

        var key = JsonNode.Parse(token[2..])!.AsObject().Single();
        return array.OfType<JsonObject>().FirstOrDefault(element => JsonNode.DeepEquals(element[key.Key], key.Value));
    }
}
