using System.Text.Json.Nodes;
using GitOpsReverser.Manifests;

namespace GitOpsReverser.Restore;

/// <summary>One field a restore changes: its JSON pointer, its live value (if any) and the value it gets (if any).</summary>
internal sealed record FieldChange(string Pointer, bool HadBefore, JsonNode? Before, bool HasAfter, JsonNode? After);

/// <summary>
/// What a restore changes in one object, computed from the repository alone plus the server's answers. Server-side
/// apply sets every field the commit held but removes nothing another manager owns; so the fields the repository
/// has recorded a change of since the commit (present at its tip, or different there) and that the applied object
/// still holds otherwise are corrected with a JSON patch. Fields the repository never recorded (an ignored field,
/// what the sanitizer drops, what the server assigns) are left as the cluster has them.
/// </summary>
internal static class ObjectComparison
{
    /// <summary>The fields a restore of <paramref name="recorded"/> looks at: those of the commit and of the tip, minus the unrestorable.</summary>
    public static IReadOnlyList<string> Paths(RecordedObject recorded) =>
        [.. recorded.DesiredLeaves.Keys.Union(recorded.TipLeaves.Keys).Where(pointer => !recorded.Unrestorable.Contains(pointer))
            .Order(StringComparer.Ordinal)];

    /// <summary>The JSON patch that takes <paramref name="applied"/> (what server-side apply made of the live object) to the commit.</summary>
    public static JsonArray Corrections(RecordedObject recorded, JsonObject live, JsonObject applied)
    {
        var desired = recorded.DesiredLeaves;
        var tip = recorded.TipLeaves;
        var operations = new JsonArray();
        foreach (var pointer in Paths(recorded))
        {
            var inDesired = desired.TryGetValue(pointer, out var wanted);
            var inTip = tip.TryGetValue(pointer, out var recordedNow);
            var recordChanged = inDesired != inTip || !JsonNode.DeepEquals(wanted, recordedNow);
            if (!recordChanged || !JsonLeaves.At(live, pointer).Found)
            {
                // Unchanged in the record, or new to the live object: apply already made it what the commit says.
                continue;
            }

            var (has, value) = JsonLeaves.At(applied, pointer);
            if (inDesired && !(has && JsonNode.DeepEquals(value, wanted)))
            {
                operations.Add(new JsonObject { ["op"] = "add", ["path"] = pointer, ["value"] = wanted?.DeepClone() });
            }
            else if (!inDesired && has)
            {
                operations.Add(new JsonObject { ["op"] = "remove", ["path"] = pointer });
            }
        }

        return operations;
    }

    /// <summary>The fields that differ between <paramref name="live"/> and <paramref name="restored"/>, over <see cref="Paths"/>.</summary>
    public static IReadOnlyList<FieldChange> Changes(RecordedObject recorded, JsonObject live, JsonObject restored)
    {
        var changes = new List<FieldChange>();
        foreach (var pointer in Paths(recorded))
        {
            var (hadBefore, before) = JsonLeaves.At(live, pointer);
            var (hasAfter, after) = JsonLeaves.At(restored, pointer);
            if (hadBefore != hasAfter || !JsonNode.DeepEquals(before, after))
            {
                changes.Add(new FieldChange(pointer, hadBefore, before, hasAfter, after));
            }
        }

        return changes;
    }

    /// <summary><paramref name="applied"/> with the fields <paramref name="corrections"/> touch as <paramref name="corrected"/> has them.</summary>
    public static JsonObject Merge(JsonObject applied, JsonArray corrections, JsonObject corrected)
    {
        var merged = (JsonObject)applied.DeepClone();
        foreach (var pointer in corrections.Select(operation => (string)operation!["path"]!))
        {
            if (JsonLeaves.Parent(merged, pointer) is not ({ } parent, { } key))
            {
                continue;
            }

            var (found, value) = JsonLeaves.At(corrected, pointer);
            if (found)
            {
                parent[key] = value?.DeepClone();
            }
            else
            {
                parent.Remove(key);
            }
        }

        return merged;
    }
}
