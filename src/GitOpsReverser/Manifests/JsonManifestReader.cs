using System.Text.Json;

namespace GitOpsReverser.Manifests;

/// <summary>Reads JSON (as the API server sends it) into <see cref="ManifestNode"/>s.</summary>
internal static class JsonManifestReader
{
    private static readonly JsonReaderOptions Options = new()
    {
        AllowMultipleValues = true,
        CommentHandling = JsonCommentHandling.Skip,
        MaxDepth = 512,
    };

    /// <summary>Reads a single JSON value, such as one object from a watch event.</summary>
    public static ManifestNode Read(ReadOnlySpan<byte> utf8Json)
    {
        var values = ReadAll(utf8Json);
        return values.Count == 1
            ? values[0]
            : throw new ManifestFormatException($"expected one JSON value, found {values.Count}");
    }

    /// <summary>Reads a stream of concatenated JSON values.</summary>
    public static List<ManifestNode> ReadAll(ReadOnlySpan<byte> utf8Json)
    {
        var reader = new Utf8JsonReader(utf8Json, Options);
        var values = new List<ManifestNode>();
        try
        {
            while (reader.Read())
            {
                values.Add(ReadValue(ref reader));
            }
        }
        catch (JsonException exception)
        {
            throw new ManifestFormatException(
                $"invalid JSON at line {exception.LineNumber + 1}, byte {exception.BytePositionInLine + 1}: {exception.Message}",
                exception);
        }

        return values;
    }

    private static string ReadString(ref Utf8JsonReader reader) =>
        reader.ValueIsEscaped || reader.HasValueSequence ? reader.GetString()! : Utf8StringCache.Get(reader.ValueSpan);

    /// <summary>Reads the value at <paramref name="reader"/>'s current token, leaving the reader on its last token.</summary>
    public static ManifestNode ReadValue(ref Utf8JsonReader reader)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.StartObject:
                var mapping = new MappingNode();
                while (reader.Read() && reader.TokenType != JsonTokenType.EndObject)
                {
                    var key = ReadString(ref reader);
                    reader.Read();
                    if (!mapping.TryAdd(key, ReadValue(ref reader)))
                    {
                        throw new ManifestFormatException($"duplicate key \"{key}\"");
                    }
                }

                return mapping;
            case JsonTokenType.StartArray:
                var sequence = new SequenceNode();
                while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                {
                    sequence.Items.Add(ReadValue(ref reader));
                }

                return sequence;
            case JsonTokenType.String:
                return ScalarNode.String(ReadString(ref reader));
            case JsonTokenType.Number:
                return ScalarResolver.CanonicalJsonNumber(Utf8StringCache.Get(reader.ValueSpan));
            case JsonTokenType.True:
                return ScalarNode.True;
            case JsonTokenType.False:
                return ScalarNode.False;
            case JsonTokenType.Null:
                return ScalarNode.Null;
            default:
                throw new ManifestFormatException($"unexpected JSON token {reader.TokenType}");
        }
    }
}
