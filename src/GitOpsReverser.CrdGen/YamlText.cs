using System.Text.Json;
using System.Text.Json.Nodes;
using YamlDotNet.Serialization;

namespace GitOpsReverser.CrdGen;

/// <summary>JSON as YAML, by YamlDotNet: strings that YAML would read as something else are quoted.</summary>
internal static class YamlText
{
    private static readonly ISerializer Serializer = new SerializerBuilder()
        .WithQuotingNecessaryStrings()
        .WithIndentedSequences()
        .Build();

    // Parsed again, so that every value is a JSON element whatever CLR value it was built from.
    public static string Of(JsonNode node) => Serializer.Serialize(Plain(JsonNode.Parse(node.ToJsonString())));

    private static object? Plain(JsonNode? node) => node switch
    {
        null => null,
        JsonObject obj => obj.ToDictionary(pair => pair.Key, pair => Plain(pair.Value)),
        JsonArray array => array.Select(Plain).ToList(),
        JsonValue value => value.GetValueKind() switch
        {
            JsonValueKind.String => value.GetValue<string>(),
            JsonValueKind.True or JsonValueKind.False => value.GetValue<bool>(),
            JsonValueKind.Number => value.TryGetValue<long>(out var whole) ? whole : value.GetValue<double>(),
            var kind => throw new InvalidOperationException($"no YAML for {kind}"),
        },
        _ => throw new InvalidOperationException($"no YAML for {node.GetType()}"),
    };
}
