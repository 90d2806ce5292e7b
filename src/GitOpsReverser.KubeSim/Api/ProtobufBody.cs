using System.Text;
using System.Text.Json.Nodes;

namespace GitOpsReverser.KubeSim.Api;

/// <summary>
/// Decodes the Kubernetes protobuf encoding (<c>application/vnd.kubernetes.protobuf</c>) that
/// kubectl's imperative commands send (<c>kubectl create namespace|configmap|secret|serviceaccount</c>):
/// the <c>k8s\0</c> envelope, ObjectMeta, and the bodies of Namespace, ConfigMap, Secret and
/// ServiceAccount. Other kinds are refused with 415, and clients then send JSON (<c>-f</c> files always do).
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
        byte[]? raw = null;
        foreach (var (field, value) in Fields(body.AsMemory(4)))
        {
            switch (field)
            {
                case 1:
                    foreach (var (typeField, typeValue) in Fields(value))
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
                    raw = value.ToArray();
                    break;
            }
        }

        var obj = new JsonObject { ["apiVersion"] = apiVersion, ["kind"] = kind };
        var message = raw ?? [];
        switch ((apiVersion, kind))
        {
            case ("v1", "Namespace") or ("v1", "ServiceAccount"):
                // Imperative kubectl sends only metadata for these two.
                foreach (var (field, value) in Fields(message))
                {
                    if (field == 1)
                    {
                        obj["metadata"] = ObjectMeta(value);
                    }
                }

                break;
            case ("v1", "ConfigMap"):
                foreach (var (field, value) in Fields(message))
                {
                    switch (field)
                    {
                        case 1:
                            obj["metadata"] = ObjectMeta(value);
                            break;
                        case 2:
                            MapEntry(obj, "data", value, bytes: false);
                            break;
                        case 3:
                            MapEntry(obj, "binaryData", value, bytes: true);
                            break;
                        case 4:
                            obj["immutable"] = value.Length > 0;
                            break;
                    }
                }

                break;
            case ("v1", "Secret"):
                foreach (var (field, value) in Fields(message))
                {
                    switch (field)
                    {
                        case 1:
                            obj["metadata"] = ObjectMeta(value);
                            break;
                        case 2:
                            MapEntry(obj, "data", value, bytes: true);
                            break;
                        case 3:
                            obj["type"] = Text(value);
                            break;
                        case 4:
                            MapEntry(obj, "stringData", value, bytes: false);
                            break;
                    }
                }

                break;
            default:
                throw ApiException.UnsupportedMediaType(ContentType, ["application/json", "application/yaml"]);
        }

        obj["metadata"] ??= new JsonObject();
        return obj;
    }

    private static JsonObject ObjectMeta(ReadOnlyMemory<byte> message)
    {
        var metadata = new JsonObject();
        foreach (var (field, value) in Fields(message))
        {
            switch (field)
            {
                case 1 when value.Length > 0:
                    metadata["name"] = Text(value);
                    break;
                case 2 when value.Length > 0:
                    metadata["generateName"] = Text(value);
                    break;
                case 3 when value.Length > 0:
                    metadata["namespace"] = Text(value);
                    break;
                case 11:
                    MapEntry(metadata, "labels", value, bytes: false);
                    break;
                case 12:
                    MapEntry(metadata, "annotations", value, bytes: false);
                    break;
                case 14:
                    if (metadata["finalizers"] is not JsonArray finalizers)
                    {
                        metadata["finalizers"] = finalizers = [];
                    }

                    finalizers.Add(Text(value));
                    break;
            }
        }

        return metadata;
    }

    private static void MapEntry(JsonObject target, string field, ReadOnlyMemory<byte> entry, bool bytes)
    {
        string key = "", value = "";
        foreach (var (entryField, entryValue) in Fields(entry))
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

    // Length-delimited fields with their payload; varints come back as their raw bytes (non-empty means true).
    private static List<(int Field, ReadOnlyMemory<byte> Value)> Fields(ReadOnlyMemory<byte> message)
    {
        var fields = new List<(int, ReadOnlyMemory<byte>)>();
        var span = message.Span;
        var position = 0;
        while (position < span.Length)
        {
            var tag = ReadVarint(span, ref position);
            var field = (int)(tag >> 3);
            switch ((int)(tag & 7))
            {
                case 0:
                    var start = position;
                    var number = ReadVarint(span, ref position);
                    fields.Add((field, number == 0 ? ReadOnlyMemory<byte>.Empty : message[start..position]));
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

                    fields.Add((field, message.Slice(position, length)));
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
