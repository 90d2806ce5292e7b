using System.Text.Json.Nodes;
using GitOpsReverser.KubeSim.Api;

namespace GitOpsReverser.KubeSim.Storage;

/// <summary>
/// The etcd of KubeSim: every object by group/resource and key, one global resourceVersion
/// counter, a bounded history of changes for watches and consistent paging, and the open watches.
/// Writes are expected to be serialized by the caller; the lock here keeps readers consistent.
/// </summary>
internal sealed partial class ObjectStore(int historyLimit)
{
    private readonly Lock gate = new();
    private readonly Dictionary<string, Bucket> buckets = new(StringComparer.Ordinal);
    private readonly List<HistoryEvent> history = [];
    private readonly Dictionary<string, List<Watcher>> watchers = new(StringComparer.Ordinal);
    private long resourceVersion;

    // History covers the changes after this resourceVersion; older starting points get 410.
    private long oldestResourceVersion;

    public long ResourceVersion
    {
        get
        {
            lock (gate)
            {
                return resourceVersion;
            }
        }
    }

    public int WatchCount
    {
        get
        {
            lock (gate)
            {
                return watchers.Values.Sum(list => list.Count);
            }
        }
    }

    public StoredObject? Get(string groupResource, string key)
    {
        lock (gate)
        {
            return buckets.TryGetValue(groupResource, out var bucket) && bucket.Objects.TryGetValue(key, out var stored) ? stored : null;
        }
    }

    /// <summary>Every current object of a group/resource that <paramref name="filter"/> selects.</summary>
    public IReadOnlyList<StoredObject> Snapshot(string groupResource, ObjectFilter filter)
    {
        lock (gate)
        {
            return buckets.TryGetValue(groupResource, out var bucket)
                ? [.. Range(bucket.Keys, filter.Namespace, null).Select(key => bucket.Objects[key]).Where(filter.Matches)]
                : [];
        }
    }

    public int Count(string groupResource)
    {
        lock (gate)
        {
            return buckets.TryGetValue(groupResource, out var bucket) ? bucket.Objects.Count : 0;
        }
    }

    /// <summary>
    /// One page of objects as they were at <paramref name="snapshot"/> (the current state when null),
    /// after <paramref name="afterKey"/>, at most <paramref name="limit"/> (all when 0).
    /// </summary>
    public ListPage List(string groupResource, ObjectFilter filter, long? snapshot, string? afterKey, int limit)
    {
        lock (gate)
        {
            var at = snapshot ?? resourceVersion;
            if (at < oldestResourceVersion && at != resourceVersion)
            {
                throw ApiException.Gone($"too old resource version: {at} ({oldestResourceVersion})");
            }

            buckets.TryGetValue(groupResource, out var bucket);
            var overlay = Overlay(groupResource, at);
            var items = new List<StoredObject>();
            string? lastKey = null;
            long remaining = 0;
            var full = false;
            foreach (var stored in Merged(bucket, overlay, filter.Namespace, afterKey))
            {
                if (!filter.Matches(stored))
                {
                    continue;
                }

                if (full)
                {
                    remaining++;
                    if (filter.HasSelectors)
                    {
                        break;
                    }

                    continue;
                }

                items.Add(stored);
                if (limit > 0 && items.Count == limit)
                {
                    full = true;
                    lastKey = stored.Key;
                }
            }

            if (remaining == 0)
            {
                lastKey = null;
            }

            return new ListPage(items, at, lastKey, filter.HasSelectors || remaining == 0 ? null : remaining);
        }
    }

    /// <summary>Stores a new version of an object (ADDED when new, MODIFIED otherwise) and returns it.</summary>
    public StoredObject Put(string groupResource, JsonObject obj)
    {
        lock (gate)
        {
            var stored = StoredObject.Create(groupResource, obj, ++resourceVersion);
            var bucket = BucketOf(groupResource);
            bucket.Objects.TryGetValue(stored.Key, out var previous);
            bucket.Objects[stored.Key] = stored;
            bucket.Keys.Add(stored.Key);
            Record(new HistoryEvent(stored.ResourceVersion, previous is null ? "ADDED" : "MODIFIED", stored, previous));
            return stored;
        }
    }

    /// <summary>Removes an object; the DELETED event carries its final state with a new resourceVersion.</summary>
    public StoredObject? Delete(string groupResource, string key, JsonObject? finalState = null)
    {
        lock (gate)
        {
            if (!buckets.TryGetValue(groupResource, out var bucket) || !bucket.Objects.Remove(key, out var previous))
            {
                return null;
            }

            bucket.Keys.Remove(key);
            var final = StoredObject.Create(groupResource, finalState ?? previous.ToJsonObject(), ++resourceVersion);
            Record(new HistoryEvent(final.ResourceVersion, "DELETED", final, previous));
            return final;
        }
    }

    private Bucket BucketOf(string groupResource)
    {
        if (!buckets.TryGetValue(groupResource, out var bucket))
        {
            buckets[groupResource] = bucket = new Bucket();
        }

        return bucket;
    }

    private void Record(HistoryEvent change)
    {
        history.Add(change);
        if (history.Count > historyLimit + (historyLimit / 4))
        {
            var drop = history.Count - historyLimit;
            oldestResourceVersion = history[drop - 1].ResourceVersion;
            history.RemoveRange(0, drop);
        }

        if (watchers.TryGetValue(change.Object.GroupResource, out var list))
        {
            foreach (var watcher in list)
            {
                Deliver(watcher, change);
            }
        }
    }

    // The state of each key that changed after `at`, as it was at `at` (null: absent then).
    private Dictionary<string, StoredObject?> Overlay(string groupResource, long at)
    {
        var overlay = new Dictionary<string, StoredObject?>(StringComparer.Ordinal);
        for (var i = history.Count - 1; i >= 0 && history[i].ResourceVersion > at; i--)
        {
            var change = history[i];
            if (change.Object.GroupResource == groupResource)
            {
                overlay[change.Object.Key] = change.Previous;
            }
        }

        return overlay;
    }

    private static IEnumerable<StoredObject> Merged(Bucket? bucket, Dictionary<string, StoredObject?> overlay, string? ns, string? afterKey)
    {
        var current = bucket is null ? [] : Range(bucket.Keys, ns, afterKey);
        var changed = overlay.Keys.Where(key => InRange(key, ns, afterKey)).Order(StringComparer.Ordinal).ToList();
        var keys = changed.Count == 0 ? current : current.Union(changed).Order(StringComparer.Ordinal);
        foreach (var key in keys)
        {
            var stored = overlay.TryGetValue(key, out var old) ? old : bucket!.Objects[key];
            if (stored is not null)
            {
                yield return stored;
            }
        }
    }

    private static IEnumerable<string> Range(SortedSet<string> keys, string? ns, string? afterKey)
    {
        if (keys.Count == 0)
        {
            return [];
        }

        var lower = afterKey ?? (ns is null ? keys.Min! : ns + "/");
        var upper = ns is null ? keys.Max! : ns + "0";
        if (string.CompareOrdinal(lower, upper) > 0)
        {
            return [];
        }

        return keys.GetViewBetween(lower, upper).Where(key => key != afterKey && InRange(key, ns, null));
    }

    private static bool InRange(string key, string? ns, string? afterKey) =>
        (ns is null || key.StartsWith(ns + "/", StringComparison.Ordinal))
        && (afterKey is null || string.CompareOrdinal(key, afterKey) > 0);

    private sealed class Bucket
    {
        public Dictionary<string, StoredObject> Objects { get; } = new(StringComparer.Ordinal);

        public SortedSet<string> Keys { get; } = new(StringComparer.Ordinal);
    }
}
