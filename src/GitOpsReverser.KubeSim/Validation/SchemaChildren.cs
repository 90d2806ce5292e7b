using System.Text.Json.Nodes;

namespace GitOpsReverser.KubeSim.Validation;

/// <summary>
/// The children of a value with their schemas, field paths (<c>spec.items[0]</c>, <c>spec.labels[key]</c>) and the old
/// values they correlate with: an object's properties by key, a map list's items by their keys; other list items
/// correlate with nothing.
/// </summary>
internal static class SchemaChildren
{
    public static IEnumerable<(JsonObject Schema, JsonNode? Value, string Path, OldValue? Old)> Of(JsonObject schema, JsonNode? value, string? path, OldValue? old)
    {
        switch (value)
        {
            case JsonObject obj:
                var oldObject = old?.Value as JsonObject;
                foreach (var (key, child) in obj)
                {
                    var childOld = oldObject is not null && oldObject.TryGetPropertyValue(key, out var oldValue) ? new OldValue(oldValue) : null;
                    if (Keywords.Property(schema, key) is { } property)
                    {
                        yield return (property, child, FieldPath.Child(path, key), childOld);
                    }
                    else if (Keywords.AdditionalProperties(schema) is { } valueSchema)
                    {
                        yield return (valueSchema, child, FieldPath.Key(path, key), childOld);
                    }
                }

                break;
            case JsonArray array when Keywords.Items(schema) is { } items:
                var correlate = old is not null && Keywords.ListType(schema) == "map";
                for (var i = 0; i < array.Count; i++)
                {
                    var itemOld = correlate && array[i] is JsonObject item && Keywords.MatchingItem(schema, item, old!.Value as JsonArray) is { } match
                        ? new OldValue(match)
                        : null;
                    yield return (items, array[i], FieldPath.Index(path, i), itemOld);
                }

                break;
        }
    }
}
