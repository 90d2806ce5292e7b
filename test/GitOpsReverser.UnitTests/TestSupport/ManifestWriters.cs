using System.Text;
using System.Text.Json;
using GitOpsReverser.Manifests;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace GitOpsReverser.UnitTests.TestSupport;

/// <summary>Other ways to write the same object (JSON, YAML in assorted styles), with keys shuffled.</summary>
internal static class ManifestWriters
{
    public static string Json(ManifestNode node, Random random)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            WriteJson(writer, node, random);
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    public static string StyledYaml(ManifestNode node, Random random)
    {
        var text = new StringWriter { NewLine = "\n" };
        var emitter = new Emitter(text);
        emitter.Emit(new StreamStart());
        emitter.Emit(new DocumentStart());
        WriteYaml(emitter, node, random);
        emitter.Emit(new DocumentEnd(isImplicit: true));
        emitter.Emit(new StreamEnd());
        return text.ToString();
    }

    private static void WriteJson(Utf8JsonWriter writer, ManifestNode node, Random random)
    {
        switch (node)
        {
            case MappingNode mapping:
                writer.WriteStartObject();
                foreach (var (key, value) in Shuffle(mapping, random))
                {
                    writer.WritePropertyName(key);
                    WriteJson(writer, value, random);
                }

                writer.WriteEndObject();
                break;
            case SequenceNode sequence:
                writer.WriteStartArray();
                foreach (var item in sequence.Items)
                {
                    WriteJson(writer, item, random);
                }

                writer.WriteEndArray();
                break;
            case ScalarNode { Kind: ScalarKind.String } scalar:
                writer.WriteStringValue(scalar.Text);
                break;
            case ScalarNode { Kind: ScalarKind.Null }:
                writer.WriteNullValue();
                break;
            case ScalarNode scalar:
                writer.WriteRawValue(scalar.Text);
                break;
        }
    }

    private static void WriteYaml(IEmitter emitter, ManifestNode node, Random random)
    {
        var flow = random.Next(4) == 0;
        switch (node)
        {
            case MappingNode mapping:
                emitter.Emit(new MappingStart(AnchorName.Empty, TagName.Empty, true, flow ? MappingStyle.Flow : MappingStyle.Block));
                foreach (var (key, value) in Shuffle(mapping, random))
                {
                    emitter.Emit(new Scalar(AnchorName.Empty, TagName.Empty, key, ScalarStyle.DoubleQuoted, true, true));
                    WriteYaml(emitter, value, random);
                }

                emitter.Emit(new MappingEnd());
                break;
            case SequenceNode sequence:
                emitter.Emit(new SequenceStart(AnchorName.Empty, TagName.Empty, true, flow ? SequenceStyle.Flow : SequenceStyle.Block));
                foreach (var item in sequence.Items)
                {
                    WriteYaml(emitter, item, random);
                }

                emitter.Emit(new SequenceEnd());
                break;
            case ScalarNode { Kind: ScalarKind.String } scalar:
                // YAML folds line breaks inside single quotes and cannot escape control characters there.
                var singleQuotable = !scalar.Text.Any(c => char.IsControl(c) || c is '\u2028' or '\u2029');
                var style = singleQuotable && random.Next(2) == 0 ? ScalarStyle.SingleQuoted : ScalarStyle.DoubleQuoted;
                emitter.Emit(new Scalar(AnchorName.Empty, TagName.Empty, scalar.Text, style, true, true));
                break;
            case ScalarNode scalar:
                emitter.Emit(new Scalar(AnchorName.Empty, TagName.Empty, scalar.Text, ScalarStyle.Plain, true, true));
                break;
        }
    }

    private static IEnumerable<KeyValuePair<string, ManifestNode>> Shuffle(MappingNode mapping, Random random) =>
        mapping.Entries.OrderBy(_ => random.Next());
}
