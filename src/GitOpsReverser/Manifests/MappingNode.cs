namespace GitOpsReverser.Manifests;

/// <summary>
/// A mapping with unique string keys in insertion order. Small maps are searched linearly; a map that grows
/// past <see cref="IndexThreshold"/> entries (a ConfigMap with thousands of keys) builds a lookup index.
/// </summary>
internal sealed class MappingNode : ManifestNode
{
    private const int IndexThreshold = 16;

    private readonly List<KeyValuePair<string, ManifestNode>> entries = [];
    private Dictionary<string, int>? index;

    public int Count => entries.Count;

    public IReadOnlyList<KeyValuePair<string, ManifestNode>> Entries => entries;

    public ManifestNode? this[string key]
    {
        get
        {
            var position = IndexOf(key);
            return position < 0 ? null : entries[position].Value;
        }

        set
        {
            ArgumentNullException.ThrowIfNull(value);
            var position = IndexOf(key);
            if (position < 0)
            {
                Append(key, value);
            }
            else
            {
                entries[position] = new(key, value);
            }
        }
    }

    /// <summary>Adds an entry unless the key is already present.</summary>
    public bool TryAdd(string key, ManifestNode value)
    {
        if (IndexOf(key) >= 0)
        {
            return false;
        }

        Append(key, value);
        return true;
    }

    public bool Remove(string key)
    {
        var position = IndexOf(key);
        if (position < 0)
        {
            return false;
        }

        entries.RemoveAt(position);
        index = null;
        return true;
    }

    public void RemoveWhere(Func<string, ManifestNode, bool> predicate)
    {
        if (entries.RemoveAll(entry => predicate(entry.Key, entry.Value)) > 0)
        {
            index = null;
        }
    }

    public MappingNode? GetMapping(string key) => this[key] as MappingNode;

    public SequenceNode? GetSequence(string key) => this[key] as SequenceNode;

    /// <summary>The value of <paramref name="key"/> when it is a string scalar, else null.</summary>
    public string? GetString(string key) =>
        this[key] is ScalarNode { Kind: ScalarKind.String } scalar ? scalar.Text : null;

    public override ManifestNode DeepClone()
    {
        var clone = new MappingNode();
        foreach (var (key, value) in entries)
        {
            clone.Append(key, value.DeepClone());
        }

        return clone;
    }

    /// <summary>Equal when both hold the same keys with equal values, in any order.</summary>
    public override bool DeepEquals(ManifestNode? other)
    {
        if (other is not MappingNode mapping || mapping.Count != Count)
        {
            return false;
        }

        foreach (var (key, value) in entries)
        {
            if (!value.DeepEquals(mapping[key]))
            {
                return false;
            }
        }

        return true;
    }

    private void Append(string key, ManifestNode value)
    {
        entries.Add(new(key, value));
        index?.Add(key, entries.Count - 1);
    }

    private int IndexOf(string key)
    {
        if (entries.Count <= IndexThreshold)
        {
            for (var i = 0; i < entries.Count; i++)
            {
                if (string.Equals(entries[i].Key, key, StringComparison.Ordinal))
                {
                    return i;
                }
            }

            return -1;
        }

        if (index is null)
        {
            index = new Dictionary<string, int>(entries.Count, StringComparer.Ordinal);
            for (var i = 0; i < entries.Count; i++)
            {
                index[entries[i].Key] = i;
            }
        }

        return index.TryGetValue(key, out var position) ? position : -1;
    }
}
