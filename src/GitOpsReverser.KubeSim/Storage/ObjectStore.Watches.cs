using GitOpsReverser.KubeSim.Api;

namespace GitOpsReverser.KubeSim.Storage;

/// <summary>Watches: starting one from a resourceVersion (with initial events and bookmarks), ending it, and delivering each change as the watch cache does.</summary>
internal sealed partial class ObjectStore
{
    /// <summary>
    /// Opens a watch. With <paramref name="from"/> set, replays the changes after it (410 ERROR when
    /// history no longer reaches back that far); otherwise, or with <paramref name="initialEvents"/>,
    /// starts with ADDED for every current object.
    /// </summary>
    public Watcher Watch(string groupResource, ObjectFilter filter, long? from, bool initialEvents, bool bookmarks)
    {
        var watcher = new Watcher(groupResource, filter, bookmarks);
        lock (gate)
        {
            if (from is { } start && !initialEvents)
            {
                if (start < oldestResourceVersion)
                {
                    var message = $"too old resource version: {start} ({oldestResourceVersion})";
                    watcher.Enqueue(new WatchItem.Error(Status.Failure(410, "Expired", message, null)));
                    watcher.Close();
                    return watcher;
                }

                foreach (var change in history)
                {
                    if (change.ResourceVersion > start && change.Object.GroupResource == groupResource)
                    {
                        Deliver(watcher, change);
                    }
                }
            }
            else
            {
                if (buckets.TryGetValue(groupResource, out var bucket))
                {
                    foreach (var key in Range(bucket.Keys, filter.Namespace, null))
                    {
                        var stored = bucket.Objects[key];
                        if (filter.Matches(stored))
                        {
                            watcher.Enqueue(new WatchItem.Change("ADDED", stored));
                        }
                    }
                }

                if (initialEvents)
                {
                    watcher.Enqueue(new WatchItem.Bookmark(resourceVersion, InitialEventsEnd: true));
                }
            }

            if (!watchers.TryGetValue(groupResource, out var list))
            {
                watchers[groupResource] = list = [];
            }

            list.Add(watcher);
        }

        return watcher;
    }

    public void Unwatch(Watcher watcher)
    {
        lock (gate)
        {
            if (watchers.TryGetValue(watcher.GroupResource, out var list))
            {
                list.Remove(watcher);
            }
        }

        watcher.Close();
    }

    /// <summary>Queues a BOOKMARK at the current resourceVersion: every change up to it has been queued before it.</summary>
    public void Bookmark(Watcher watcher)
    {
        lock (gate)
        {
            watcher.Enqueue(new WatchItem.Bookmark(resourceVersion, InitialEventsEnd: false));
        }
    }

    /// <summary>Closes every open watch (a fault, or a server restart as clients see it).</summary>
    public int CloseAllWatches()
    {
        lock (gate)
        {
            var all = watchers.Values.SelectMany(list => list).ToList();
            watchers.Clear();
            all.ForEach(watcher => watcher.Abort());
            return all.Count;
        }
    }

    /// <summary>Forgets all history: a watch or continue token from any earlier resourceVersion gets 410.</summary>
    public long Compact()
    {
        lock (gate)
        {
            history.Clear();
            oldestResourceVersion = resourceVersion;
            return resourceVersion;
        }
    }

    // The event a watcher sees for one change: objects moving into or out of its selection
    // arrive as ADDED or DELETED, as the API server's watch cache reports them.
    private static void Deliver(Watcher watcher, HistoryEvent change)
    {
        var now = watcher.Filter.Matches(change.Object);
        var before = watcher.Filter.Matches(change.Previous);
        WatchItem? item = change.Type switch
        {
            "DELETED" => before ? new WatchItem.Change("DELETED", change.Object) : null,
            _ when now && before => new WatchItem.Change("MODIFIED", change.Object),
            _ when now => new WatchItem.Change("ADDED", change.Object),
            _ when before => new WatchItem.Change("DELETED", StoredObject.Create(
                change.Object.GroupResource, change.Previous!.ToJsonObject(), change.ResourceVersion)),
            _ => null,
        };
        if (item is not null)
        {
            watcher.Enqueue(item);
        }
    }
}
