using System.Text.Json.Nodes;

namespace GitOpsReverser.KubeSim.Patching;

/// <summary>
/// Maintains <c>metadata.managedFields</c>: who set which field, by which operation, when.
/// An Update takes ownership of the fields it changed (from every other manager); an Apply owns
/// exactly the fields of its configuration. Only spec-like fields, status (under its subresource),
/// labels, annotations, finalizers and ownerReferences are tracked, as the API server tracks them.
/// </summary>
internal static class ManagedFields
{
    private static readonly string[] TrackedMetadata = ["labels", "annotations", "finalizers", "ownerReferences"];

    public static List<ManagedFieldsEntry> Read(JsonObject? obj)
    {
        var entries = new List<ManagedFieldsEntry>();
        foreach (var node in obj?["metadata"]?["managedFields"] as JsonArray ?? [])
        {
            if (node is JsonObject entry)
            {
                entries.Add(new ManagedFieldsEntry(
                    (string?)entry["manager"] ?? "",
                    (string?)entry["operation"] ?? "Update",
                    (string?)entry["apiVersion"] ?? "",
                    (string?)entry["time"] ?? "",
                    (string?)entry["subresource"],
                    FieldPath.FromFieldsV1(entry["fieldsV1"] as JsonObject)));
            }
        }

        return entries;
    }

    public static void Write(JsonObject obj, IEnumerable<ManagedFieldsEntry> entries)
    {
        var array = new JsonArray();
        foreach (var entry in entries.Where(entry => entry.Fields.Count > 0))
        {
            var node = new JsonObject
            {
                ["manager"] = entry.Manager,
                ["operation"] = entry.Operation,
                ["apiVersion"] = entry.ApiVersion,
                ["time"] = entry.Time,
                ["fieldsType"] = "FieldsV1",
                ["fieldsV1"] = FieldPath.ToFieldsV1(entry.Fields),
            };
            if (entry.Subresource is not null)
            {
                node["subresource"] = entry.Subresource;
            }

            array.Add(node);
        }

        var metadata = obj["metadata"]!.AsObject();
        if (array.Count == 0)
        {
            metadata.Remove("managedFields");
        }
        else
        {
            metadata["managedFields"] = array;
        }
    }

    /// <summary>The tracked leaf paths of an object: status only (for the status subresource) or everything else.</summary>
    public static HashSet<string> TrackedLeaves(JsonObject? obj, bool status)
    {
        if (obj is null)
        {
            return new HashSet<string>(StringComparer.Ordinal);
        }

        var view = new JsonObject();
        foreach (var (key, value) in obj)
        {
            if (key == "metadata" && !status && value is JsonObject metadata)
            {
                var tracked = new JsonObject();
                foreach (var field in TrackedMetadata)
                {
                    if (metadata[field] is { } fieldValue)
                    {
                        tracked[field] = fieldValue.DeepClone();
                    }
                }

                if (tracked.Count > 0)
                {
                    view["metadata"] = tracked;
                }
            }
            else if (key is not ("apiVersion" or "kind" or "metadata") && (key == "status") == status)
            {
                view[key] = value?.DeepClone();
            }
        }

        return FieldPath.Leaves(view, _ => true);
    }

    /// <summary>
    /// True when two versions of an object differ at most in their managedFields entries' times: a write that
    /// changed nothing else, which the API server does not store.
    /// </summary>
    public static bool EqualIgnoringTimes(JsonObject old, JsonObject updated)
    {
        static JsonObject WithoutTimes(JsonObject obj)
        {
            var copy = obj.DeepClone().AsObject();
            foreach (var entry in (copy["metadata"]?["managedFields"] as JsonArray ?? []).OfType<JsonObject>())
            {
                entry.Remove("time");
            }

            return copy;
        }

        return JsonNode.DeepEquals(old, updated) || JsonNode.DeepEquals(WithoutTimes(old), WithoutTimes(updated));
    }

    /// <summary>Records an Update by <paramref name="manager"/> turning <paramref name="old"/> into <paramref name="updated"/>.</summary>
    public static void RecordUpdate(JsonObject? old, JsonObject updated, string manager, string apiVersion, string? subresource, string now)
    {
        var entries = Read(old);
        var status = subresource == "status";
        var changed = TrackedLeaves(updated, status)
            .Where(path => !JsonNode.DeepEquals(FieldPath.ValueAt(old, path), FieldPath.ValueAt(updated, path)))
            .ToHashSet(StringComparer.Ordinal);
        if (changed.Count > 0)
        {
            foreach (var entry in entries)
            {
                entry.Fields.ExceptWith(changed);
            }

            var index = entries.FindIndex(entry => entry.Manager == manager && entry.Operation == "Update" && entry.Subresource == subresource);
            if (index >= 0)
            {
                entries[index] = entries[index] with { Time = now, ApiVersion = apiVersion };
                entries[index].Fields.UnionWith(changed);
            }
            else
            {
                entries.Add(new ManagedFieldsEntry(manager, "Update", apiVersion, now, subresource, changed));
            }
        }

        Prune(entries, updated);
        Write(updated, entries);
    }

    /// <summary>Drops owned paths the object no longer has.</summary>
    public static void Prune(List<ManagedFieldsEntry> entries, JsonObject obj)
    {
        var present = TrackedLeaves(obj, status: false);
        present.UnionWith(TrackedLeaves(obj, status: true));
        foreach (var entry in entries)
        {
            entry.Fields.RemoveWhere(path => !present.Contains(path) && FieldPath.ValueAt(obj, path) is null);
        }
    }
}

/// <summary>One <c>managedFields</c> entry; <see cref="Fields"/> holds leaf paths (see <see cref="FieldPath"/>).</summary>
internal sealed record ManagedFieldsEntry(
    string Manager,
    string Operation,
    string ApiVersion,
    string Time,
    string? Subresource,
    HashSet<string> Fields);
