using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using GitOpsReverser.Watching;

namespace GitOpsReverser.Rules;

/// <summary>
/// The operator's own objects of one kind (GitRepoConfigs, rules, CRDs), kept by a reflector.
/// <paramref name="changed"/> runs when an object's spec (not its status) changes, or one appears or goes.
/// </summary>
internal sealed class ObjectStore(Action changed) : IReflectorHandler
{
    private readonly ConcurrentDictionary<string, JsonObject> objects = new(StringComparer.Ordinal);

    public bool Synced { get; private set; }

    public IReadOnlyList<JsonObject> Objects => [.. objects.OrderBy(pair => pair.Key, StringComparer.Ordinal).Select(pair => pair.Value)];

    public ValueTask HandleAsync(ReflectorEvent change, CancellationToken cancellationToken)
    {
        switch (change)
        {
            case ReflectorEvent.Upserted upserted:
                var previous = objects.GetValueOrDefault(upserted.Key);
                objects[upserted.Key] = upserted.Object;
                if (previous is null
                    || !JsonNode.DeepEquals(previous["spec"], upserted.Object["spec"])
                    || !JsonNode.DeepEquals(previous["metadata"]?["generation"], upserted.Object["metadata"]?["generation"])
                    || !JsonNode.DeepEquals(previous["metadata"]?["uid"], upserted.Object["metadata"]?["uid"]))
                {
                    changed();
                }

                break;
            case ReflectorEvent.Deleted deleted:
                if (objects.TryRemove(deleted.Key, out _))
                {
                    changed();
                }

                break;
            case ReflectorEvent.Synced:
                Synced = true;
                changed();
                break;
        }

        return ValueTask.CompletedTask;
    }
}
