using System.Text;
using System.Text.Json.Nodes;

namespace GitOpsReverser.KubeSim.Api;

/// <summary>
/// Decodes the Kubernetes protobuf encoding (<c>application/vnd.kubernetes.protobuf</c>) that
/// kubectl's typed clients send: the <c>k8s\0</c> envelope (TypeMeta, raw message), then the message
/// through its <see cref="ProtobufSchemas">schema</see>. Kinds without a schema are refused with 415.
/// </summary>
internal static class ProtobufBody
{
    public const string ContentType = "application/vnd.kubernetes.protobuf";
    private static readonly byte[] Magic = [0x6b, 0x38, 0x73, 0x00];

    public static JsonObject Decode(byte[] body)
    {
        if (body.Length < 4 || !body.AsSpan(0, 4).SequenceEqual(Magic))
        {
            throw ApiException.BadRequest("protobuf body does not start with the k8s envelope");
        }

        string? apiVersion = null, kind = null;
        var raw = ReadOnlyMemory<byte>.Empty;
        foreach (var (field, value, _) in Fields(body.AsMemory(4)))
        {
            switch (field)
            {
                case 1:
                    foreach (var (typeField, typeValue, _) in Fields(value))
                    {
                        if (typeField == 1)
                        {
                            apiVersion = Text(typeValue);
                        }
                        else if (typeField == 2)
                        {
                            kind = Text(typeValue);
                        }
                    }

                    break;
                case 2:
                    raw = value;
                    break;
            }
        }

        var schema = ProtobufSchemas.For(apiVersion, kind) ?? throw ApiException.UnsupportedMediaType(ContentType, ["application/json", "application/yaml"]);
        var obj = new JsonObject { ["apiVersion"] = apiVersion, ["kind"] = kind };
        foreach (var (name, value) in Message(raw, schema))
        {
            obj[name] = value?.DeepClone();
        }

        obj["metadata"] ??= new JsonObject();
        return obj;
    }

    private static JsonObject Message(ReadOnlyMemory<byte> message, ProtobufSchema schema)
    {
        var result = new JsonObject();
        foreach (var (number, value, varint) in Fields(message))
        {
            if (!schema.TryGet(number, out var field))
            {
                continue;
            }

            switch (field.Shape)
            {
                case ProtobufSchema.Shape.Text when value.Length > 0:
                    result[field.Name] = Text(value);
                    break;
                case ProtobufSchema.Shape.Number:
                    result[field.Name] = (long)varint;
                    break;
                case ProtobufSchema.Shape.Flag:
                    result[field.Name] = varint != 0;
                    break;
                case ProtobufSchema.Shape.Nested:
                    result[field.Name] = Message(value, field.Message!);
                    break;
                case ProtobufSchema.Shape.TextList:
                    ArrayOf(result, field.Name).Add(Text(value));
                    break;
                case ProtobufSchema.Shape.NestedList:
                    ArrayOf(result, field.Name).Add(Message(value, field.Message!));
                    break;
                case ProtobufSchema.Shape.TextMap or ProtobufSchema.Shape.BytesMap:
                    MapEntry(result, field.Name, value, bytes: field.Shape == ProtobufSchema.Shape.BytesMap);
                    break;
                case ProtobufSchema.Shape.NumberOmitZero when varint != 0:
                    result[field.Name] = (long)varint;
                    break;
                case ProtobufSchema.Shape.FlagOmitFalse when varint != 0:
                    result[field.Name] = true;
                    break;
                case ProtobufSchema.Shape.IntOrString:
                    result[field.Name] = IntOrString(value);
                    break;
                case ProtobufSchema.Shape.QuantityMap:
                    QuantityEntry(result, field.Name, value);
                    break;
                case ProtobufSchema.Shape.Inline:
                    foreach (var (name, inlined) in Message(value, field.Message!))
                    {
                        result[name] = inlined?.DeepClone();
                    }

                    break;
            }
        }

        return result;
    }

    private static JsonArray ArrayOf(JsonObject target, string name)
    {
        if (target[name] is not JsonArray array)
        {
            target[name] = array = [];
        }

        return array;
    }

    private static void MapEntry(JsonObject target, string field, ReadOnlyMemory<byte> entry, bool bytes)
    {
        string key = "", value = "";
        foreach (var (entryField, entryValue, _) in Fields(entry))
        {
            if (entryField == 1)
            {
                key = Text(entryValue);
            }
            else if (entryField == 2)
            {
                value = bytes ? Convert.ToBase64String(entryValue.Span) : Text(entryValue);
            }
        }

        if (target[field] is not JsonObject map)
        {
            target[field] = map = [];
        }

        map[key] = value;
    }

    private static string Text(ReadOnlyMemory<byte> value) => Encoding.UTF8.GetString(value.Span);

    private static JsonNode IntOrString(ReadOnlyMemory<byte> value)
    {
        ulong type = 0, number = 0;
        var text = "";
        foreach (var (field, payload, varint) in Fields(value))
        {
            switch (field)
            {
                case 1:
                    type = varint;
                    break;
                case 2:
                    number = varint;
                    break;
                case 3:
                    text = Text(payload);
                    break;
            }
        }

        return type == 0 ? JsonValue.Create((long)(int)number) : JsonValue.Create(text);
    }

    private static void QuantityEntry(JsonObject target, string field, ReadOnlyMemory<byte> entry)
    {
        string key = "", quantity = "";
        foreach (var (entryField, entryValue, _) in Fields(entry))
        {
            if (entryField == 1)
            {
                key = Text(entryValue);
            }
            else if (entryField == 2)
            {
                quantity = Fields(entryValue).Where(part => part.Field == 1).Select(part => Text(part.Value)).FirstOrDefault() ?? "";
            }
        }

        if (target[field] is not JsonObject map)
        {
            target[field] = map = [];
        }

        map[key] = quantity;
    }

    // Every field with its payload (length-delimited) or its value (varint); fixed-width fields are skipped.
    private static List<(int Field, ReadOnlyMemory<byte> Value, ulong Varint)> Fields(ReadOnlyMemory<byte> message)
    {
        var fields = new List<(int, ReadOnlyMemory<byte>, ulong)>();
        var span = message.Span;
        var position = 0;
        while (position < span.Length)
        {
            var tag = ReadVarint(span, ref position);
            var field = (int)(tag >> 3);
            switch ((int)(tag & 7))
            {
                case 0:
                    fields.Add((field, ReadOnlyMemory<byte>.Empty, ReadVarint(span, ref position)));
                    break;
                case 1:
                    position += 8;
                    break;
                case 2:
                    var length = (int)ReadVarint(span, ref position);
                    if (length < 0 || position + length > span.Length)
                    {
                        throw ApiException.BadRequest("protobuf body is truncated");
                    }

                    fields.Add((field, message.Slice(position, length), 0));
                    position += length;
                    break;
                case 5:
                    position += 4;
                    break;
                default:
                    throw ApiException.BadRequest("protobuf body has an unsupported wire type");
            }
        }

        return fields;
    }

    private static ulong ReadVarint(ReadOnlySpan<byte> span, ref int position)
    {
        ulong result = 0;
        for (var shift = 0; shift < 64; shift += 7)
        {
            if (position >= span.Length)
            {
                throw ApiException.BadRequest("protobuf body is truncated");
            }

            var b = span[position++];
            result |= (ulong)(b & 0x7f) << shift;
            if ((b & 0x80) == 0)
            {
                return result;
            }
        }

        throw ApiException.BadRequest("protobuf varint is too long");
    }
}
