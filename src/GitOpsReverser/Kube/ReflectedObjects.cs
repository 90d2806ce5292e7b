using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using GitOpsReverser.Manifests;

namespace GitOpsReverser.Kube;

/// <summary>
/// The objects of one kind the control loop reads (GitRepoConfigs, rules, namespaces, CRDs), kept by a
/// reflector. <paramref name="changed"/> runs with its key (namespace/name) when one appears or goes, or when the part of it that
/// <paramref name="relevant"/> picks changes (default: spec, generation and uid, so status writes do
/// not count), and with null when the first list is complete.
/// </summary>
internal sealed class ReflectedObjects(Action<string?> changed, Func<JsonObject, JsonNode?>? relevant = null) : IReflectorHandler
{
    private readonly ConcurrentDictionary<string, JsonObject> objects = new(StringComparer.Ordinal);
    private readonly Func<JsonObject, JsonNode?> relevant = relevant ?? (obj => new JsonArray(
        obj["spec"]?.DeepClone(), obj["metadata"]?["generation"]?.DeepClone(), obj["metadata"]?["uid"]?.DeepClone()));

    /// <summary>Namespaces by their labels: a namespace selector's input.</summary>
    public static ReflectedObjects Namespaces(Action<string?> changed) => new(changed, obj => obj["metadata"]?["labels"]?.DeepClone());

    public bool Synced { get; private set; }

    public IReadOnlyList<JsonObject> Objects => [.. objects.OrderBy(pair => pair.Key, StringComparer.Ordinal).Select(pair => pair.Value)];

    public bool TryGet(string key, out JsonObject obj) => objects.TryGetValue(key, out obj!);

    public ValueTask HandleAsync(ReflectorEvent change, CancellationToken cancellationToken)
    {
        switch (change)
        {
            case ReflectorEvent.Upserted upserted:
                // The operator's own objects are read as JSON documents: specs, conditions and labels.
                var current = ManifestJson.ToJsonNode(upserted.Object)!.AsObject();
                var previous = objects.GetValueOrDefault(upserted.Key);
                objects[upserted.Key] = current;
                if (previous is null || !JsonNode.DeepEquals(relevant(previous), relevant(current)))
                {
                    changed(upserted.Key);
                }

                break;
            case ReflectorEvent.Deleted deleted:
                if (objects.TryRemove(deleted.Key, out _))
                {
                    changed(deleted.Key);
                }

                break;
            case ReflectorEvent.Synced:
                Synced = true;
                changed(null);
                break;
        }

        return ValueTask.CompletedTask;
    }

    /// <summary>The labels of a stored object (a namespace), or null.</summary>
    public static JsonObject? LabelsOf(JsonObject obj) => obj["metadata"]?["labels"] as JsonObject;
}
