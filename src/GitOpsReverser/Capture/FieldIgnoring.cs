using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using GitOpsReverser.Manifests;
using GitOpsReverser.Specs;

namespace GitOpsReverser.Capture;

/// <summary>
/// Applies <c>ignoreFields</c> to an object as the API server returned it (with its <c>managedFields</c>), before
/// the sanitizer: removes the fields at each entry's JSON pointers, and the fields its managers own by their
/// <c>fieldsV1</c> (<c>f:</c> fields, <c>k:</c> list items by key, <c>v:</c> set values, <c>i:</c> indexes).
/// </summary>
internal static class FieldIgnoring
{
    /// <summary>
    /// Removes what <paramref name="entries"/> name for the object's group and kind; counts each entry that removed
    /// something in <paramref name="matches"/> (same order). Returns whether anything was removed.
    /// </summary>
    public static bool Apply(MappingNode obj, IReadOnlyList<IgnoredFields> entries, long[] matches)
    {
        var apiVersion = obj.GetString("apiVersion") ?? "";
        var group = apiVersion.Contains('/', StringComparison.Ordinal) ? apiVersion[..apiVersion.IndexOf('/', StringComparison.Ordinal)] : "";
        var kind = obj.GetString("kind") ?? "";
        var owned = obj.GetMapping("metadata")?.GetSequence("managedFields")?.Items.OfType<MappingNode>().ToList() ?? [];
        var removed = false;
        for (var i = 0; i < entries.Count; i++)
        {
            if (!entries[i].AppliesTo(group, kind))
            {
                continue;
            }

            var hit = false;
            foreach (var pointer in entries[i].JsonPointers)
            {
                hit |= RemovePointer(obj, pointer);
            }

            foreach (var entry in owned.Where(entry => entries[i].Managers.Contains(entry.GetString("manager") ?? "", StringComparer.Ordinal)))
            {
                if (entry.GetMapping("fieldsV1") is { } fields)
                {
                    hit |= RemoveOwned(obj, fields);
                }
            }

            if (hit)
            {
                Interlocked.Increment(ref matches[i]);
                removed = true;
            }
        }

        return removed;
    }

    private static bool RemovePointer(MappingNode obj, string pointer)
    {
        var segments = pointer.Split('/').Skip(1).Select(segment => segment.Replace("~1", "/", StringComparison.Ordinal).Replace("~0", "~", StringComparison.Ordinal)).ToList();
        ManifestNode? node = obj;
        for (var i = 0; i < segments.Count - 1 && node is not null; i++)
        {
            node = Child(node, segments[i]);
        }

        return node switch
        {
            MappingNode mapping => mapping.Remove(segments[^1]),
            SequenceNode sequence when Index(segments[^1], sequence) is { } index => RemoveAt(sequence, index),
            _ => false,
        };
    }

    private static ManifestNode? Child(ManifestNode node, string segment) => node switch
    {
        MappingNode mapping => mapping[segment],
        SequenceNode sequence when Index(segment, sequence) is { } index => sequence.Items[index],
        _ => null,
    };

    private static int? Index(string segment, SequenceNode sequence) =>
        int.TryParse(segment, NumberStyles.None, CultureInfo.InvariantCulture, out var index) && index < sequence.Count ? index : null;

    private static bool RemoveAt(SequenceNode sequence, int index)
    {
        sequence.Items.RemoveAt(index);
        return true;
    }

    // Walks a manager's fieldsV1 set over the object: a leaf (nothing under it but ".") is removed whole.
    private static bool RemoveOwned(ManifestNode target, MappingNode fields)
    {
        var removed = false;
        foreach (var (key, value) in fields.Entries.ToList())
        {
            var inner = value as MappingNode;
            var leaf = inner is null || inner.Entries.All(entry => entry.Key == ".");
            switch (key[..Math.Min(2, key.Length)])
            {
                case "f:" when target is MappingNode mapping && mapping[key[2..]] is { } field:
                    removed |= leaf ? mapping.Remove(key[2..]) : RemoveOwned(field, inner!);
                    break;
                case "k:" or "v:" or "i:" when target is SequenceNode sequence && Find(sequence, key) is { } item:
                    removed |= leaf ? sequence.Items.Remove(item) : RemoveOwned(item, inner!);
                    break;
            }
        }

        return removed;
    }

    // The list item a k: (its key fields), v: (its value) or i: (its index) key names.
    private static ManifestNode? Find(SequenceNode sequence, string key)
    {
        try
        {
            switch (key[0])
            {
                case 'i':
                    return Index(key[2..], sequence) is { } index ? sequence.Items[index] : null;
                case 'v':
                    var wanted = JsonNode.Parse(key[2..])?.ToString();
                    return sequence.Items.FirstOrDefault(item => item is ScalarNode scalar && scalar.Text == wanted);
                default:
                    var keys = JsonNode.Parse(key[2..]) as JsonObject ?? [];
                    return sequence.Items.OfType<MappingNode>().FirstOrDefault(item =>
                        keys.All(pair => item[pair.Key] is ScalarNode scalar && scalar.Text == pair.Value?.ToString()));
            }
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
