using System.Runtime.InteropServices;
using GitOpsReverser.Sanitizing;

namespace GitOpsReverser.Capture;

/// <summary>
/// What the operator last wrote for each object: its uid, resourceVersion and a 64-bit hash of its
/// sanitized YAML, never the object itself. A watch event whose sanitized output hashes the same
/// (status, managedFields or resourceVersion churn) is recognised here and goes no further.
/// One entry costs its key string plus 32 bytes; the bench reports bytes per tracked object.
/// </summary>
internal sealed class ResourceCache
{
    private readonly Dictionary<string, Entry> entries = new(StringComparer.Ordinal);
    private readonly Lock gate = new();

    public int Count
    {
        get
        {
            lock (gate)
            {
                return entries.Count;
            }
        }
    }

    /// <summary>Records an object's sanitized output; returns true when it differs from what was recorded (or is new).</summary>
    /// <param name="key">The object's repository path: unique per kind, namespace and name.</param>
    /// <param name="uid">The object's uid (a re-created object has a new one).</param>
    /// <param name="resourceVersion">The version the output was made from.</param>
    /// <param name="sanitized">The sanitized YAML as it would be committed.</param>
    public bool Observe(string key, Guid uid, long resourceVersion, ReadOnlySpan<byte> sanitized)
    {
        var hash = ContentHash.Of(sanitized);
        lock (gate)
        {
            ref var entry = ref CollectionsMarshal.GetValueRefOrAddDefault(entries, key, out var existed);
            var changed = !existed || entry.Hash != hash;
            entry = new Entry(uid, resourceVersion, hash);
            return changed;
        }
    }

    /// <summary>Forgets an object; returns true when it was known (its file should go).</summary>
    public bool Remove(string key)
    {
        lock (gate)
        {
            return entries.Remove(key);
        }
    }

    /// <summary>How many tracked objects have a key (a repository path) that <paramref name="predicate"/> accepts.</summary>
    public int CountWhere(Func<string, bool> predicate)
    {
        lock (gate)
        {
            return entries.Keys.Count(predicate);
        }
    }

    public bool TryGet(string key, out Guid uid, out long resourceVersion)
    {
        lock (gate)
        {
            var found = entries.TryGetValue(key, out var entry);
            (uid, resourceVersion) = (entry.Uid, entry.ResourceVersion);
            return found;
        }
    }

    private readonly record struct Entry(Guid Uid, long ResourceVersion, ulong Hash);
}
