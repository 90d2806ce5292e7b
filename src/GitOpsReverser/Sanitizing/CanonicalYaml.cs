using GitOpsReverser.Manifests;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace GitOpsReverser.Sanitizing;

/// <summary>
/// Writes a manifest as canonical YAML: the same object always gives the same bytes. <c>apiVersion</c>,
/// <c>kind</c> and <c>metadata</c> (name, namespace, labels, annotations) come first, every other key in
/// kubectl's order; two-space indentation with lists unindented under their key, as kubectl prints them;
/// a SOPS file's <c>sops</c> block last, where <c>sops</c> writes it; multi-line strings as literal blocks; strings that any YAML 1.1 or 1.2 reader would take for another
/// type quoted; keys over <see cref="MaxSimpleKeyLength"/> characters as explicit keys; no line folding, so that a
/// diff shows exactly the value that changed; LF line ends.
/// </summary>
internal static class CanonicalYaml
{
    private static readonly EmitterSettings Settings = new(
        bestIndent: 2,
        bestWidth: int.MaxValue,
        isCanonical: false,
        maxSimpleKeyLength: MaxSimpleKeyLength,
        newLine: "\n");

    /// <summary>
    /// Keys longer than this are written as explicit keys (<c>? key</c> then <c>: value</c>), as libyaml and go-yaml
    /// (kubectl) write them: YAML allows an implicit key 1,024 characters at most, and kubectl and PyYAML refuse a
    /// longer one.
    /// </summary>
    public const int MaxSimpleKeyLength = 128;

    private static readonly EntryOrder RootOrder = new(["apiVersion", "kind", "metadata"], trailingKey: "sops");
    private static readonly EntryOrder MetadataOrder = new(["name", "namespace", "labels", "annotations"]);
    private static readonly EntryOrder PlainOrder = new([]);

    public static string Write(MappingNode manifest)
    {
        using var writer = new StringWriter(System.Globalization.CultureInfo.InvariantCulture) { NewLine = "\n" };
        Write(manifest, writer);
        return writer.ToString();
    }

    public static void Write(MappingNode manifest, TextWriter writer)
    {
        var emitter = new Emitter(writer, Settings);
        emitter.Emit(new StreamStart());
        emitter.Emit(new DocumentStart(null, null, isImplicit: true));
        WriteMapping(emitter, manifest, RootOrder);
        emitter.Emit(new DocumentEnd(isImplicit: true));
        emitter.Emit(new StreamEnd());
    }

    /// <summary>
    /// Every scalar of <paramref name="manifest"/> with the keys that lead to it, in the order <see cref="Write(MappingNode)"/>
    /// writes them; the items of a list share their list's path (as SOPS walks a document).
    /// </summary>
    public static IEnumerable<(IReadOnlyList<string> Path, ScalarNode Value)> Leaves(MappingNode manifest) => Leaves(manifest, RootOrder, []);

    private static IEnumerable<(IReadOnlyList<string> Path, ScalarNode Value)> Leaves(ManifestNode node, EntryOrder? order, string[] path)
    {
        switch (node)
        {
            case MappingNode mapping:
                foreach (var (key, value) in Ordered(mapping, order ?? PlainOrder))
                {
                    foreach (var leaf in Leaves(value, order == RootOrder && key == "metadata" ? MetadataOrder : null, [.. path, key]))
                    {
                        yield return leaf;
                    }
                }

                break;
            case SequenceNode sequence:
                foreach (var leaf in sequence.Items.SelectMany(item => Leaves(item, null, path)))
                {
                    yield return leaf;
                }

                break;
            case ScalarNode scalar:
                yield return (path, scalar);
                break;
        }
    }

    private static KeyValuePair<string, ManifestNode>[] Ordered(MappingNode mapping, EntryOrder order)
    {
        var entries = mapping.Entries.ToArray();
        Array.Sort(entries, order);
        return entries;
    }

    private static void WriteNode(IEmitter emitter, ManifestNode node, EntryOrder? order = null)
    {
        switch (node)
        {
            case MappingNode mapping:
                WriteMapping(emitter, mapping, order ?? PlainOrder);
                break;
            case SequenceNode sequence:
                emitter.Emit(new SequenceStart(AnchorName.Empty, TagName.Empty, isImplicit: true, SequenceStyle.Block));
                foreach (var item in sequence.Items)
                {
                    WriteNode(emitter, item);
                }

                emitter.Emit(new SequenceEnd());
                break;
            case ScalarNode scalar:
                WriteScalar(emitter, scalar.Text, scalar.Kind == ScalarKind.String ? StringStyle(scalar.Text) : ScalarStyle.Plain);
                break;
        }
    }

    private static void WriteMapping(IEmitter emitter, MappingNode mapping, EntryOrder order)
    {
        emitter.Emit(new MappingStart(AnchorName.Empty, TagName.Empty, isImplicit: true, MappingStyle.Block));
        foreach (var (key, value) in Ordered(mapping, order))
        {
            WriteScalar(emitter, key, StringStyle(key));
            WriteNode(emitter, value, order == RootOrder && key == "metadata" ? MetadataOrder : null);
        }

        emitter.Emit(new MappingEnd());
    }

    private static void WriteScalar(IEmitter emitter, string text, ScalarStyle style) =>
        emitter.Emit(new Scalar(AnchorName.Empty, TagName.Empty, text, style, isPlainImplicit: true, isQuotedImplicit: true));

    /// <summary>
    /// The style of a string. Multi-line text is a literal block when that reads back exactly; carriage
    /// returns, Unicode line separators, tabs and text made only of blank lines are double-quoted with escapes,
    /// as kubectl writes them. The emitter still falls back from plain to single-quoted when an indicator
    /// (a leading <c>- </c>, <c>: </c>, <c> #</c>, a leading space) makes plain text ambiguous.
    /// </summary>
    private static ScalarStyle StringStyle(string text)
    {
        var hasLineFeed = text.Contains('\n', StringComparison.Ordinal);
        if (text.AsSpan().IndexOfAny(EscapedCharacters) >= 0 && !(hasLineFeed && IsLiteralSafe(text)))
        {
            return ScalarStyle.DoubleQuoted;
        }

        if (hasLineFeed)
        {
            return IsLiteralSafe(text) ? ScalarStyle.Literal : ScalarStyle.DoubleQuoted;
        }

        return ScalarResolver.NeedsQuotes(text) ? ScalarStyle.DoubleQuoted : ScalarStyle.Plain;
    }

    // A literal block keeps tabs, but normalises other line breaks and cannot hold text with no visible line.
    private static bool IsLiteralSafe(string text) =>
        text.AsSpan().IndexOfAny(LineBreaksOtherThanLineFeed) < 0
        && text.AsSpan().IndexOfAnyExcept(' ', '\n') >= 0;

    private static readonly System.Buffers.SearchValues<char> EscapedCharacters =
        System.Buffers.SearchValues.Create("\t\r\u0085\u2028\u2029\uFEFF");

    private static readonly System.Buffers.SearchValues<char> LineBreaksOtherThanLineFeed =
        System.Buffers.SearchValues.Create("\r\u0085\u2028\u2029\uFEFF");

    /// <summary>Leading keys in their given order, then the rest in kubectl's order, then <paramref name="trailingKey"/>.</summary>
    private sealed class EntryOrder(string[] leadingKeys, string? trailingKey = null) : IComparer<KeyValuePair<string, ManifestNode>>
    {
        public int Compare(KeyValuePair<string, ManifestNode> x, KeyValuePair<string, ManifestNode> y)
        {
            var rankX = Rank(x.Key);
            var rankY = Rank(y.Key);
            return rankX != rankY ? rankX.CompareTo(rankY) : KubectlKeyOrder.Instance.Compare(x.Key, y.Key);
        }

        private int Rank(string key)
        {
            var position = Array.IndexOf(leadingKeys, key);
            return position >= 0 ? position : key == trailingKey ? leadingKeys.Length + 1 : leadingKeys.Length;
        }
    }
}
