using System.Text.Json.Nodes;

namespace GitOpsReverser.KubeSim.Validation;

/// <summary>
/// The uniqueness of <c>x-kubernetes-list-type: set</c> items and <c>map</c> keys, checked after the schema
/// as apiextensions' listtype validation does, with the same ratcheting as <see cref="SchemaValidator"/>.
/// </summary>
internal static class ListTypes
{
    public static List<FieldError> Validate(JsonObject schema, JsonNode? value, OldValue? old = null)
    {
        var errors = new List<FieldError>();
        Walk(schema, value, null, old, errors);
        return errors;
    }

    private static void Walk(JsonObject schema, JsonNode? value, string? path, OldValue? old, List<FieldError> errors)
    {
        if (old is not null && JsonEquality.Equal(value, old.Value))
        {
            return;
        }

        if (value is JsonArray array)
        {
            switch (Keywords.ListType(schema))
            {
                case "set":
                    CheckSet(array, path, errors);
                    break;
                case "map":
                    CheckMap(schema, array, path, errors);
                    break;
            }
        }

        foreach (var (childSchema, child, childPath, childOld) in SchemaChildren.Of(schema, value, path, old))
        {
            Walk(childSchema, child, childPath, childOld, errors);
        }
    }

    // The second occurrence of a value is reported, once per value.
    private static void CheckSet(JsonArray array, string? path, List<FieldError> errors)
    {
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < array.Count; i++)
        {
            var identity = GoFormat.Node(array[i]);
            seen[identity] = seen.GetValueOrDefault(identity) + 1;
            if (seen[identity] == 2)
            {
                object? reported = array[i] is JsonObject or JsonArray ? new GoLiteral(GoFormat.Node(array[i])) : array[i];
                errors.Add(FieldError.Duplicate(FieldPath.Index(path, i), reported));
            }
        }
    }

    private static void CheckMap(JsonObject schema, JsonArray array, string? path, List<FieldError> errors)
    {
        for (var i = 0; i < array.Count; i++)
        {
            if (array[i] is not (null or JsonObject))
            {
                errors.Add(FieldError.Invalid(FieldPath.Index(path, i), array[i], "must be an object for an array of list-type map"));
                return;
            }
        }

        var keys = Keywords.ListMapKeys(schema);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < array.Count; i++)
        {
            if (array[i] is not JsonObject item)
            {
                continue;
            }

            var identity = new JsonObject();
            foreach (var key in keys)
            {
                identity[key] = item[key]?.DeepClone();
            }

            if (!seen.Add(GoFormat.Node(identity)))
            {
                errors.Add(FieldError.Duplicate(FieldPath.Index(path, i), new GoLiteral(GoFormat.Node(identity))));
            }
        }
    }
}
