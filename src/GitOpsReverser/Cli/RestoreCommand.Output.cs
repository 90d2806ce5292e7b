using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using GitOpsReverser.Manifests;
using GitOpsReverser.Restore;

namespace GitOpsReverser.Cli;

internal static partial class RestoreCommand
{
    private const int ShownValueLength = 120;

    // One line per object that is not unchanged, then its fields: a Secret's values (and any value Git holds
    // fingerprinted) are never printed, only that they change.
    private static void Write(ObjectOutcome outcome, TextWriter stdout, bool showUnchanged)
    {
        if (outcome.Action == RestoreAction.Unchanged && outcome.Object.Unrestorable.Count == 0 && !showUnchanged)
        {
            return;
        }

        var identity = outcome.Object.Identity;
        var name = $"{(identity.Namespace is null ? "" : identity.Namespace + " ")}{identity.Kind}/{identity.Name}";
        stdout.WriteLine($"{Verb(outcome.Action),-10} {name}{(outcome.Message is null ? "" : ": " + outcome.Message)}");
        foreach (var change in outcome.Changes)
        {
            var field = JsonLeaves.Display(change.Pointer);
            if (outcome.Object.Sensitive)
            {
                stdout.WriteLine($"             {field}: {(change.HadBefore ? change.HasAfter ? "(changed)" : "(removed)" : "(set)")}");
                continue;
            }

            foreach (var (path, before, after) in Differences(field, change.HadBefore, change.Before, change.HasAfter, change.After))
            {
                stdout.WriteLine($"             {path}: {before} → {after}");
            }
        }

        foreach (var pointer in outcome.Object.Unrestorable.Order(StringComparer.Ordinal))
        {
            stdout.WriteLine($"             {JsonLeaves.Display(pointer)}: not restorable (Git holds only its fingerprint); the cluster's value is kept");
        }
    }

    private static string Verb(RestoreAction action) => action switch
    {
        RestoreAction.Create => "create",
        RestoreAction.Change => "change",
        RestoreAction.Unchanged => "unchanged",
        RestoreAction.Conflict => "conflict",
        RestoreAction.Refused => "refused",
        RestoreAction.Skipped => "skipped",
        RestoreAction.Prune => "delete",
        _ => "kept",
    };

    // A list's elements, or a mapping's fields, compared one by one where the two sides have the same shape, so that
    // an image changed in the second container reads as containers[1].image rather than as two whole lists.
    private static IEnumerable<(string Path, string Before, string After)> Differences(string path, bool hadBefore, JsonNode? before, bool hasAfter, JsonNode? after)
    {
        if (hadBefore && hasAfter && before is JsonArray beforeList && after is JsonArray afterList && beforeList.Count == afterList.Count)
        {
            return beforeList.Count == 0 ? [] : Enumerable.Range(0, beforeList.Count)
                .SelectMany(i => Differences($"{path}[{i}]", true, beforeList[i], true, afterList[i]));
        }

        if (hadBefore && hasAfter && before is JsonObject beforeMap && after is JsonObject afterMap)
        {
            return beforeMap.Select(pair => pair.Key).Union(afterMap.Select(pair => pair.Key)).Order(StringComparer.Ordinal)
                .SelectMany(key => Differences(JsonLeaves.Child(path, key),
                    beforeMap.ContainsKey(key), beforeMap[key], afterMap.ContainsKey(key), afterMap[key]));
        }

        return hadBefore == hasAfter && JsonNode.DeepEquals(before, after) ? [] : [(path, Shown(hadBefore, before), Shown(hasAfter, after))];
    }

    private static string Shown(bool present, JsonNode? value)
    {
        if (!present)
        {
            return "(none)";
        }

        var text = value?.ToJsonString(new JsonSerializerOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }) ?? "null";
        return text.Length <= ShownValueLength ? text : text[..ShownValueLength] + "…";
    }

    private static string Summary(IReadOnlyList<ObjectOutcome> outcomes, RestoreRequest request, TimeSpan elapsed)
    {
        int Count(RestoreAction action) => outcomes.Count(outcome => outcome.Action == action);
        var done = request.Apply ? "" : " Nothing was changed: --apply makes these changes.";
        return string.Create(CultureInfo.InvariantCulture,
            $"{outcomes.Count} object{(outcomes.Count == 1 ? "" : "s")}: {Count(RestoreAction.Create)} {(request.Apply ? "created" : "to create")}, {Count(RestoreAction.Change)} {(request.Apply ? "changed" : "to change")}, " +
            $"{Count(RestoreAction.Unchanged)} unchanged, {Count(RestoreAction.Conflict)} conflict, {Count(RestoreAction.Refused)} refused, {Count(RestoreAction.Skipped)} skipped (owned), " +
            $"{Count(RestoreAction.Prune)} {(request.Apply ? "deleted" : "to delete")}, {Count(RestoreAction.Kept)} kept; {elapsed.TotalSeconds:0.0} s.{done}");
    }
}
