using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using GitOpsReverser.Watching;

namespace GitOpsReverser.Rules;

/// <summary>
/// The labels of every namespace, kept by a reflector on namespaces, for <c>namespaceSelector</c>.
/// <paramref name="changed"/> runs when a namespace appears, goes, or changes its labels.
/// </summary>
internal sealed class NamespaceLabels(Action changed) : IReflectorHandler
{
    private readonly ConcurrentDictionary<string, JsonObject?> labels = new(StringComparer.Ordinal);

    public bool Synced { get; private set; }

    public bool TryGet(string ns, out JsonObject? namespaceLabels) => labels.TryGetValue(ns, out namespaceLabels);

    public IEnumerable<(string Name, JsonObject? Labels)> All => labels.Select(pair => (pair.Key, pair.Value));

    public ValueTask HandleAsync(ReflectorEvent change, CancellationToken cancellationToken)
    {
        switch (change)
        {
            case ReflectorEvent.Upserted upserted:
                var current = upserted.Object["metadata"]?["labels"]?.DeepClone() as JsonObject;
                if (!labels.TryGetValue(upserted.Key, out var previous) || !JsonNode.DeepEquals(previous, current))
                {
                    labels[upserted.Key] = current;
                    changed();
                }

                break;
            case ReflectorEvent.Deleted deleted:
                if (labels.TryRemove(deleted.Key, out _))
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
