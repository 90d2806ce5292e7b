using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace GitOpsReverser.Manifests;

/// <summary>
/// Reads YAML into <see cref="ManifestNode"/>s with the meaning Kubernetes gives it: plain scalars resolved by
/// <see cref="ScalarResolver"/>, anchors and aliases expanded, <c>&lt;&lt;</c> merge keys applied, duplicate keys refused.
/// </summary>
internal sealed class YamlManifestReader
{
    // An alias bomb ("billion laughs") expands exponentially; refuse documents that grow past this many nodes.
    private const int MaxNodes = 2_000_000;

    private readonly Parser parser;
    private readonly Dictionary<string, ManifestNode> anchors = new(StringComparer.Ordinal);
    private int nodeCount;

    private readonly int lineOffset;
    private readonly int lineCount;

    private YamlManifestReader(string text, int firstLine)
    {
        parser = new Parser(new StringReader(text));
        lineOffset = firstLine - 1;
        lineCount = text.AsSpan().TrimEnd('\n').Count('\n') + 1;
    }

    /// <summary>
    /// Reads every document of a YAML stream; an empty document yields nothing. Errors name lines counted from
    /// <paramref name="firstLine"/>, for text cut out of a larger input.
    /// </summary>
    public static List<ManifestNode> ReadDocuments(string text, int firstLine = 1)
    {
        var reader = new YamlManifestReader(text, firstLine);
        try
        {
            return reader.ReadStream();
        }
        catch (YamlException exception)
        {
            throw new ManifestFormatException(
                $"invalid YAML at line {reader.Line(exception.Start)}, column {exception.Start.Column}: {Describe(exception)}",
                exception);
        }
    }

    private static string Describe(YamlException exception)
    {
        var message = exception.InnerException?.Message ?? exception.Message;
        return message.StartsWith('(') && message.Contains("): ", StringComparison.Ordinal)
            ? message[(message.IndexOf("): ", StringComparison.Ordinal) + 3)..]
            : message;
    }

    private List<ManifestNode> ReadStream()
    {
        var documents = new List<ManifestNode>();
        parser.Consume<StreamStart>();
        while (parser.TryConsume<DocumentStart>(out _))
        {
            anchors.Clear();
            var root = ReadNode();
            parser.Consume<DocumentEnd>();
            if (root is not ScalarNode { Kind: ScalarKind.Null })
            {
                documents.Add(root);
            }
        }

        parser.Consume<StreamEnd>();
        return documents;
    }

    private ManifestNode ReadNode()
    {
        if (++nodeCount > MaxNodes)
        {
            throw new ManifestFormatException($"document expands to more than {MaxNodes} nodes (alias bomb?)");
        }

        var start = parser.Current;
        switch (start)
        {
            case Scalar scalar:
                parser.MoveNext();
                return Remember(scalar.Anchor, ToScalar(scalar));
            case SequenceStart sequenceStart:
                parser.MoveNext();
                var sequence = new SequenceNode();
                while (!parser.TryConsume<SequenceEnd>(out _))
                {
                    sequence.Items.Add(ReadNode());
                }

                return Remember(sequenceStart.Anchor, sequence);
            case MappingStart mappingStart:
                parser.MoveNext();
                return Remember(mappingStart.Anchor, ReadMappingBody());
            case AnchorAlias alias:
                parser.MoveNext();
                if (!anchors.TryGetValue(alias.Value.Value, out var target))
                {
                    throw new ManifestFormatException($"line {Line(alias.Start)}: unknown alias *{alias.Value.Value}");
                }

                nodeCount += CountNodes(target);
                return nodeCount > MaxNodes
                    ? throw new ManifestFormatException($"document expands to more than {MaxNodes} nodes (alias bomb?)")
                    : target.DeepClone();
            default:
                throw new ManifestFormatException($"line {Line(start?.Start)}: unexpected YAML event {start?.GetType().Name}");
        }
    }

    private MappingNode ReadMappingBody()
    {
        var mapping = new MappingNode();
        List<MappingNode>? merged = null;
        while (!parser.TryConsume<MappingEnd>(out _))
        {
            var keyEvent = parser.Current;
            if (keyEvent is not Scalar keyScalar)
            {
                throw new ManifestFormatException($"line {Line(keyEvent?.Start)}: mapping keys must be scalars");
            }

            parser.MoveNext();
            var value = ReadNode();
            if (keyScalar is { Value: "<<", Style: ScalarStyle.Plain })
            {
                merged ??= [];
                merged.AddRange(value switch
                {
                    MappingNode single => [single],
                    SequenceNode { Items: var items } when items.All(item => item is MappingNode) => items.Cast<MappingNode>(),
                    _ => throw new ManifestFormatException($"line {Line(keyEvent?.Start)}: a merge key (<<) needs a mapping or a list of mappings"),
                });
                continue;
            }

            var key = keyScalar.Style == ScalarStyle.Plain && keyScalar.Tag.IsEmpty
                ? ScalarResolver.ResolvePlain(keyScalar.Value).Text
                : keyScalar.Value;
            if (!mapping.TryAdd(key, value))
            {
                throw new ManifestFormatException($"line {Line(keyEvent?.Start)}: duplicate key \"{key}\"");
            }
        }

        // Keys written in the mapping itself win over merged ones, whatever their order.
        foreach (var source in merged ?? [])
        {
            foreach (var (key, value) in source.Entries)
            {
                mapping.TryAdd(key, value.DeepClone());
            }
        }

        return mapping;
    }

    private ScalarNode ToScalar(Scalar scalar)
    {
        if (!scalar.Tag.IsEmpty && !scalar.Tag.IsNonSpecific)
        {
            try
            {
                return ScalarResolver.ResolveTagged(scalar.Tag.Value, scalar.Value);
            }
            catch (FormatException exception)
            {
                throw new ManifestFormatException($"line {Line(scalar.Start)}: {exception.Message}", exception);
            }
        }

        return scalar.Style == ScalarStyle.Plain && scalar.Tag.IsEmpty
            ? ScalarResolver.ResolvePlain(scalar.Value)
            : ScalarNode.String(scalar.Value);
    }

    // An error found at the end of the text is reported on its last line, not on the one after it.
    private long Line(Mark? mark) => Math.Min(mark?.Line ?? 1, lineCount) + lineOffset;

    private ManifestNode Remember(AnchorName anchor, ManifestNode node)
    {
        if (!anchor.IsEmpty)
        {
            anchors[anchor.Value] = node;
        }

        return node;
    }

    private static int CountNodes(ManifestNode node) => node switch
    {
        MappingNode mapping => 1 + mapping.Entries.Sum(entry => CountNodes(entry.Value)),
        SequenceNode sequence => 1 + sequence.Items.Sum(CountNodes),
        _ => 1,
    };
}
