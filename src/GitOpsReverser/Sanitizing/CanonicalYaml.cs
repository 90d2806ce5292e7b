using GitOpsReverser.Manifests;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace GitOpsReverser.Sanitizing;

/// <summary>
/// Writes a manifest as canonical YAML: the same object always gives the same bytes. <c>apiVersion</c>,
/// <c>kind</c> and <c>metadata</c> (name, namespace, labels, annotations) come first, every other key in
/// kubectl's order; two-space indentation with lists unindented under their key, as kubectl prints them;
/// multi-line strings as literal blocks; strings that any YAML 1.1 or 1.2 reader would take for another
/// type quoted; no line folding, so that a diff shows exactly the value that changed; LF line ends.
/// </summary>
internal static class CanonicalYaml
{
    private static readonly EmitterSettings Settings = new(
        bestIndent: 2,
        bestWidth: int.MaxValue,
        isCanonical: false,
        maxSimpleKeyLength: int.MaxValue,
        newLine: "\n");

    private static readonly string[] RootKeys = ["apiVersion", "kind", "metadata"];
    private static readonly string[] MetadataKeys = ["name", "namespace", "labels", "annotations"];

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
        WriteMapping(emitter, manifest, RootKeys);
        emitter.Emit(new DocumentEnd(isImplicit: true));
        emitter.Emit(new StreamEnd());
    }

    private static void WriteNode(IEmitter emitter, ManifestNode node, string[]? leadingKeys = null)
    {
        switch (node)
        {
            case MappingNode mapping:
                WriteMapping(emitter, mapping, leadingKeys ?? []);
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

    private static void WriteMapping(IEmitter emitter, MappingNode mapping, string[] leadingKeys)
    {
        emitter.Emit(new MappingStart(AnchorName.Empty, TagName.Empty, isImplicit: true, MappingStyle.Block));
        var entries = mapping.Entries.ToArray();
        Array.Sort(entries, (a, b) => CompareKeys(a.Key, b.Key, leadingKeys));
        foreach (var (key, value) in entries)
        {
            WriteScalar(emitter, key, StringStyle(key));
            WriteNode(emitter, value, ReferenceEquals(leadingKeys, RootKeys) && key == "metadata" ? MetadataKeys : null);
        }

        emitter.Emit(new MappingEnd());
    }

    private static int CompareKeys(string a, string b, string[] leadingKeys)
    {
        var rankA = Rank(a, leadingKeys);
        var rankB = Rank(b, leadingKeys);
        return rankA != rankB ? rankA.CompareTo(rankB) : KubectlKeyOrder.Instance.Compare(a, b);
    }

    private static int Rank(string key, string[] leadingKeys)
    {
        var position = Array.IndexOf(leadingKeys, key);
        return position < 0 ? leadingKeys.Length : position;
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
}
