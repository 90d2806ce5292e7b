using System.Text.Json;
using System.Text.Json.Nodes;

namespace GitOpsReverser.KubeSim.Storage;

/// <summary>
/// One object version as stored: its serialized JSON plus the few fields that lists, watches and
/// selectors need without parsing it. Immutable; every write stores a new instance.
/// </summary>
internal sealed class StoredObject
{
    private StoredObject(string groupResource, string ns, string name, long resourceVersion, byte[] json,
        IReadOnlyDictionary<string, string> labels)
    {
        GroupResource = groupResource;
        Namespace = ns;
        Name = name;
        ResourceVersion = resourceVersion;
        Json = json;
        Labels = labels;
    }

    public string GroupResource { get; }

    /// <summary>The namespace, empty for a cluster-scoped object.</summary>
    public string Namespace { get; }

    public string Name { get; }

    public long ResourceVersion { get; }

    public byte[] Json { get; }

    public IReadOnlyDictionary<string, string> Labels { get; }

    /// <summary>Where the fields after kind and apiVersion start in <see cref="Json"/> (just after their comma).</summary>
    public int BodyOffset { get; private init; }

    /// <summary>The fields after kind and apiVersion, closing brace included: write <c>{</c> before them.</summary>
    public ReadOnlySpan<byte> FieldsAfterTypeMeta() => Json.AsSpan(BodyOffset);

    /// <summary>Sort and lookup key: <c>namespace/name</c>, or the name alone when cluster-scoped.</summary>
    public string Key => KeyOf(Namespace, Name);

    public static string KeyOf(string ns, string name) => ns.Length == 0 ? name : $"{ns}/{name}";

    private static int EncodedLength(string value) =>
        JsonEncodedText.Encode(value, KubeJson.Options.Encoder).EncodedUtf8Bytes.Length + 2;

    /// <summary>A fresh mutable copy of the object.</summary>
    public JsonObject ToJsonObject() => JsonNode.Parse(Json)!.AsObject();

    /// <summary>Stores <paramref name="obj"/> with <paramref name="resourceVersion"/> written into its metadata.</summary>
    public static StoredObject Create(string groupResource, JsonObject obj, long resourceVersion)
    {
        var metadata = obj["metadata"]!.AsObject();
        metadata["resourceVersion"] = resourceVersion.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var labels = new Dictionary<string, string>(StringComparer.Ordinal);
        if (metadata["labels"] is JsonObject labelObject)
        {
            foreach (var (key, value) in labelObject)
            {
                labels[key] = value?.GetValueKind() == JsonValueKind.String ? value.GetValue<string>() : value?.ToJsonString() ?? "";
            }
        }

        // kind and apiVersion first, as Go writes TypeMeta: list items drop exactly that prefix.
        var kind = (string?)obj["kind"] ?? "";
        var apiVersion = (string?)obj["apiVersion"] ?? "";
        var ordered = new JsonObject { ["kind"] = kind, ["apiVersion"] = apiVersion };
        foreach (var (key, value) in obj)
        {
            if (key is not ("kind" or "apiVersion"))
            {
                ordered[key] = value?.DeepClone();
            }
        }

        var json = JsonSerializer.SerializeToUtf8Bytes(ordered, KubeJson.Options);
        return new StoredObject(groupResource, (string?)metadata["namespace"] ?? "", (string?)metadata["name"] ?? "",
            resourceVersion, json, labels)
        {
            // `{"kind":"…","apiVersion":"…",` — the quoted values as the serializer encodes them.
            BodyOffset = "{\"kind\":".Length + EncodedLength(kind) + ",\"apiVersion\":".Length + EncodedLength(apiVersion) + 1,
        };
    }
}
