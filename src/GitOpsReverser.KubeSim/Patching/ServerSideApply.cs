using System.Text.Json.Nodes;
using GitOpsReverser.KubeSim.Api;

namespace GitOpsReverser.KubeSim.Patching;

/// <summary>
/// Server-side apply: the applier's configuration is merged into the live object (maps by key,
/// merge-key lists by element, everything else replaced); fields it applied before and no longer
/// applies are removed unless another manager owns them; setting a field another manager owns to
/// a different value is a 409 conflict unless <c>force=true</c>, which takes the field over.
/// </summary>
internal static class ServerSideApply
{
    public static JsonObject Apply(
        ResourceType type,
        string name,
        JsonObject? current,
        JsonObject config,
        string manager,
        bool force,
        string? subresource,
        string now)
    {
        var status = subresource == "status";
        var entries = ManagedFields.Read(current);
        var applied = ManagedFields.TrackedLeaves(config, status);
        var mine = entries.FindIndex(entry => entry.Manager == manager && entry.Operation == "Apply" && entry.Subresource == subresource);
        var prior = mine >= 0 ? entries[mine].Fields : [];

        var conflicts = new List<(string Manager, string ApiVersion, string Path)>();
        foreach (var path in applied)
        {
            var live = FieldPath.ValueAt(current, path);
            if (live is null || JsonNode.DeepEquals(live, FieldPath.ValueAt(config, path)))
            {
                continue;
            }

            foreach (var other in entries.Where((entry, index) => index != mine && entry.Fields.Contains(path)))
            {
                conflicts.Add((other.Manager, other.ApiVersion, path));
            }
        }

        if (conflicts.Count > 0 && !force)
        {
            throw Conflict(type, name, conflicts);
        }

        var result = current?.DeepClone().AsObject() ?? new JsonObject();
        foreach (var path in prior.Where(path => !applied.Contains(path)))
        {
            if (!entries.Where((_, index) => index != mine).Any(entry => entry.Fields.Contains(path)))
            {
                FieldPath.RemoveAt(result, path);
            }
        }

        Merge(result, config, null);
        foreach (var (_, _, path) in conflicts)
        {
            entries.ForEach(entry => entry.Fields.Remove(path));
        }

        if (mine >= 0)
        {
            entries[mine] = entries[mine] with { Time = now, ApiVersion = type.GroupVersion, Fields = applied };
        }
        else
        {
            entries.Add(new ManagedFieldsEntry(manager, "Apply", type.GroupVersion, now, subresource, applied));
        }

        ManagedFields.Prune(entries, result);
        ManagedFields.Write(result, entries);
        return result;
    }

    private static void Merge(JsonObject target, JsonObject config, string? enclosingList)
    {
        foreach (var (key, value) in config)
        {
            if (key == "managedFields")
            {
                continue;
            }

            switch (value)
            {
                case null:
                    target.Remove(key);
                    break;
                case JsonObject child when target[key] is JsonObject live:
                    Merge(live, child, enclosingList);
                    break;
                case JsonArray list when target[key] is JsonArray live && MergeKeys.For(key, enclosingList) is { } mergeKey:
                    foreach (var element in list.OfType<JsonObject>())
                    {
                        var match = live.OfType<JsonObject>().FirstOrDefault(item => JsonNode.DeepEquals(item[mergeKey], element[mergeKey]));
                        if (match is null)
                        {
                            live.Add(element.DeepClone());
                        }
                        else
                        {
                            Merge(match, element, key);
                        }
                    }

                    break;
                default:
                    target[key] = value.DeepClone();
                    break;
            }
        }
    }

    private static ApiException Conflict(ResourceType type, string name, List<(string Manager, string ApiVersion, string Path)> conflicts)
    {
        var details = Status.Details(type, name);
        var causes = new JsonArray();
        foreach (var (manager, apiVersion, path) in conflicts)
        {
            causes.Add(new JsonObject
            {
                ["reason"] = "FieldManagerConflict",
                ["message"] = $"conflict with \"{manager}\" using {apiVersion}",
                ["field"] = FieldPath.Render(path),
            });
        }

        details["causes"] = causes;
        string message;
        if (conflicts.Count == 1)
        {
            var (manager, apiVersion, path) = conflicts[0];
            message = $"Apply failed with 1 conflict: conflict with \"{manager}\" using {apiVersion}: {FieldPath.Render(path)}";
        }
        else
        {
            var lines = conflicts.Select(conflict => $"conflict with \"{conflict.Manager}\" using {conflict.ApiVersion}: {FieldPath.Render(conflict.Path)}");
            message = $"Apply failed with {conflicts.Count} conflicts: {string.Join("\n", lines)}";
        }

        return new ApiException(409, "Conflict", message, details);
    }
}
