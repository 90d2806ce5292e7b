using System.Text.Json.Nodes;

namespace GitOpsReverser.KubeSim.Patching;

/// <summary>
/// Strategic merge patch for the built-in kinds: maps merge, <c>null</c> deletes, lists with a
/// merge key (<see cref="MergeKeys"/>) merge element by element, scalar sets (finalizers) union,
/// other lists are replaced. Directives: <c>$patch: replace|delete|merge</c>, <c>$retainKeys</c>,
/// <c>$deleteFromPrimitiveList/&lt;field&gt;</c>; <c>$setElementOrder/&lt;field&gt;</c> reorders merged lists.
/// </summary>
internal static class StrategicMergePatch
{
    private const string Directive = "$patch";
    private const string RetainKeys = "$retainKeys";
    private const string SetElementOrder = "$setElementOrder/";
    private const string DeleteFromPrimitiveList = "$deleteFromPrimitiveList/";

    public static JsonObject Apply(JsonObject original, JsonObject patch) => MergeMap(original.DeepClone().AsObject(), patch, null);

    private static JsonObject MergeMap(JsonObject target, JsonObject patch, string? enclosingList)
    {
        switch ((string?)patch[Directive])
        {
            case "replace":
                return Clean(patch)!.AsObject();
            case "delete":
                return [];
        }

        if (patch[RetainKeys] is JsonArray retain)
        {
            var keep = retain.Select(node => (string?)node).ToHashSet();
            foreach (var key in target.Select(pair => pair.Key).Where(key => !keep.Contains(key)).ToList())
            {
                target.Remove(key);
            }
        }

        foreach (var (key, value) in patch)
        {
            if (key is Directive or RetainKeys || key.StartsWith(SetElementOrder, StringComparison.Ordinal))
            {
                continue;
            }

            if (key.StartsWith(DeleteFromPrimitiveList, StringComparison.Ordinal))
            {
                var field = key[DeleteFromPrimitiveList.Length..];
                if (target[field] is JsonArray list && value is JsonArray remove)
                {
                    foreach (var item in list.Where(item => remove.Any(r => JsonNode.DeepEquals(r, item))).ToList())
                    {
                        list.Remove(item);
                    }
                }

                continue;
            }

            if (value is null)
            {
                target.Remove(key);
            }
            else if (value is JsonObject patchChild && (string?)patchChild[Directive] == "delete")
            {
                target.Remove(key);
            }
            else if (value is JsonObject patchChild2 && target[key] is JsonObject targetChild)
            {
                target[key] = MergeMap(targetChild.DeepClone().AsObject(), patchChild2, enclosingList);
            }
            else if (value is JsonArray patchList)
            {
                target[key] = MergeList(target[key] as JsonArray, patchList, key, enclosingList,
                    patch[SetElementOrder + key] as JsonArray);
            }
            else
            {
                target[key] = Clean(value);
            }
        }

        return target;
    }

    private static JsonArray MergeList(JsonArray? target, JsonArray patch, string field, string? enclosingList, JsonArray? order)
    {
        if (patch.Any(item => item is JsonObject obj && obj.Count == 1 && (string?)obj[Directive] == "replace"))
        {
            return [.. patch.Where(item => !(item is JsonObject obj && (string?)obj[Directive] == "replace")).Select(Clean)];
        }

        var mergeKey = MergeKeys.For(field, enclosingList);
        if (mergeKey is not null && patch.All(item => item is JsonObject))
        {
            var result = target?.DeepClone().AsArray() ?? [];
            foreach (var item in patch.Cast<JsonObject>())
            {
                var keyValue = item[mergeKey];
                var existing = result.OfType<JsonObject>().FirstOrDefault(element => JsonNode.DeepEquals(element[mergeKey], keyValue));
                if ((string?)item[Directive] == "delete")
                {
                    if (existing is not null)
                    {
                        result.Remove(existing);
                    }
                }
                else if (existing is not null)
                {
                    var index = result.IndexOf(existing);
                    result[index] = MergeMap(existing.DeepClone().AsObject(), item, field);
                }
                else
                {
                    result.Add(Clean(item));
                }
            }

            return order is null ? result : Reorder(result, order, mergeKey);
        }

        if (MergeKeys.IsScalarSet(field))
        {
            var result = target?.DeepClone().AsArray() ?? [];
            foreach (var item in patch.Where(item => !result.Any(existing => JsonNode.DeepEquals(existing, item))))
            {
                result.Add(Clean(item));
            }

            return result;
        }

        return [.. patch.Select(Clean)];
    }

    // $setElementOrder lists every element in its wanted order; elements it omits keep their place at the end.
    private static JsonArray Reorder(JsonArray merged, JsonArray order, string mergeKey)
    {
        var elements = merged.Select(node => node!.DeepClone()).ToList();
        var ordered = new JsonArray();
        foreach (var wanted in order.OfType<JsonObject>())
        {
            var match = elements.FirstOrDefault(element => JsonNode.DeepEquals(element[mergeKey], wanted[mergeKey]));
            if (match is not null)
            {
                elements.Remove(match);
                ordered.Add(match);
            }
        }

        foreach (var rest in elements)
        {
            ordered.Add(rest);
        }

        return ordered;
    }

    // A patch value stored as-is loses its directives.
    private static JsonNode? Clean(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject obj:
                var copy = new JsonObject();
                foreach (var (key, value) in obj)
                {
                    if (key is not (Directive or RetainKeys) && !key.StartsWith(SetElementOrder, StringComparison.Ordinal)
                        && !key.StartsWith(DeleteFromPrimitiveList, StringComparison.Ordinal))
                    {
                        copy[key] = Clean(value);
                    }
                }

                return copy;
            case JsonArray array:
                return new JsonArray([.. array.Select(Clean)]);
            default:
                return node?.DeepClone();
        }
    }
}
