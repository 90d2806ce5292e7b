using System.Globalization;
using System.Text.Json.Nodes;

namespace GitOpsReverser.KubeSim.Api;

/// <summary>
/// The JSONPath a CRD's <c>additionalPrinterColumns</c> use: fields (<c>.spec.url</c>,
/// <c>['a.b']</c>), indexes (<c>[0]</c>, <c>[*]</c>) and filters with <c>==</c> or <c>!=</c>
/// (<c>[?(@.type=="Ready")]</c>). As the API server's table convertor does, a column shows the first
/// result.
/// </summary>
internal sealed class SimpleJsonPath
{
    private readonly List<Step> steps;

    private SimpleJsonPath(List<Step> steps) => this.steps = steps;

    public static SimpleJsonPath Parse(string path)
    {
        var text = path.Trim();
        if (text.StartsWith('{') && text.EndsWith('}'))
        {
            text = text[1..^1];
        }

        var steps = new List<Step>();
        var i = text.StartsWith('$') ? 1 : 0;
        while (i < text.Length)
        {
            if (text[i] == '.')
            {
                var end = i + 1;
                while (end < text.Length && text[end] is not ('.' or '['))
                {
                    end++;
                }

                if (end > i + 1)
                {
                    steps.Add(new Step.Field(text[(i + 1)..end]));
                }

                i = end;
            }
            else if (text[i] == '[')
            {
                var end = FindClosing(text, i);
                var inner = text[(i + 1)..end].Trim();
                steps.Add(inner switch
                {
                    "*" => new Step.All(),
                    _ when inner.StartsWith("?(", StringComparison.Ordinal) && inner.EndsWith(')') => Filter(inner[2..^1]),
                    _ when inner.Length >= 2 && inner[0] is '\'' or '"' => new Step.Field(inner[1..^1]),
                    _ when int.TryParse(inner, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var index) => new Step.Index(index),
                    _ => throw new FormatException($"unsupported JSONPath element [{inner}] in {path}"),
                });
                i = end + 1;
            }
            else
            {
                throw new FormatException($"unexpected character '{text[i]}' in JSONPath {path}");
            }
        }

        return new SimpleJsonPath(steps);
    }

    /// <summary>The first value the path finds in <paramref name="node"/>, or null.</summary>
    public JsonNode? First(JsonNode? node)
    {
        IEnumerable<JsonNode?> current = [node];
        foreach (var step in steps)
        {
            current = current.SelectMany(step.Apply);
        }

        return current.FirstOrDefault(found => found is not null);
    }

    private static int FindClosing(string text, int open)
    {
        var depth = 0;
        var quote = '\0';
        for (var i = open; i < text.Length; i++)
        {
            var c = text[i];
            if (quote != '\0')
            {
                quote = c == quote ? '\0' : quote;
            }
            else if (c is '"' or '\'')
            {
                quote = c;
            }
            else if (c == '[')
            {
                depth++;
            }
            else if (c == ']' && --depth == 0)
            {
                return i;
            }
        }

        throw new FormatException($"unclosed [ in JSONPath {text}");
    }

    private static Step.Where Filter(string condition)
    {
        var negate = condition.Contains("!=", StringComparison.Ordinal);
        var parts = condition.Split(negate ? "!=" : "==", 2);
        if (parts.Length != 2 || !parts[0].Trim().StartsWith('@'))
        {
            throw new FormatException($"unsupported JSONPath filter {condition}");
        }

        var left = Parse(parts[0].Trim()[1..]);
        var right = parts[1].Trim();
        var expected = right.Length >= 2 && right[0] is '"' or '\'' ? right[1..^1] : right;
        return new Step.Where(left, expected, negate);
    }

    private static string? Text(JsonNode? node) =>
        node switch
        {
            null => null,
            JsonValue value when value.TryGetValue<string>(out var text) => text,
            _ => node.ToJsonString(),
        };

    private abstract record Step
    {
        public abstract IEnumerable<JsonNode?> Apply(JsonNode? node);

        public sealed record Field(string Name) : Step
        {
            public override IEnumerable<JsonNode?> Apply(JsonNode? node) =>
                node is JsonObject obj && obj.TryGetPropertyValue(Name, out var value) ? [value] : [];
        }

        public sealed record Index(int Position) : Step
        {
            public override IEnumerable<JsonNode?> Apply(JsonNode? node)
            {
                if (node is not JsonArray array)
                {
                    return [];
                }

                var at = Position < 0 ? array.Count + Position : Position;
                return at >= 0 && at < array.Count ? [array[at]] : [];
            }
        }

        public sealed record All : Step
        {
            public override IEnumerable<JsonNode?> Apply(JsonNode? node) =>
                node switch
                {
                    JsonArray array => array,
                    JsonObject obj => obj.Select(pair => pair.Value),
                    _ => [],
                };
        }

        public sealed record Where(SimpleJsonPath Left, string Expected, bool Negate) : Step
        {
            public override IEnumerable<JsonNode?> Apply(JsonNode? node) =>
                (node as JsonArray ?? []).Where(item => Text(Left.First(item)) is { } found && (found == Expected) != Negate);
        }
    }
}
