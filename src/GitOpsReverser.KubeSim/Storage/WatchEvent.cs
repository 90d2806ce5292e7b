using System.Text.Json.Nodes;

namespace GitOpsReverser.KubeSim.Storage;

/// <summary>One committed change, kept in the history that watches replay from a resourceVersion.</summary>
/// <param name="ResourceVersion">The change's resourceVersion.</param>
/// <param name="Type">ADDED, MODIFIED or DELETED.</param>
/// <param name="Object">The new state; for DELETED the final state, stamped with the deletion's resourceVersion.</param>
/// <param name="Previous">The state before the change, null for ADDED.</param>
internal sealed record HistoryEvent(long ResourceVersion, string Type, StoredObject Object, StoredObject? Previous);

/// <summary>What a watch stream sends next.</summary>
internal abstract record WatchItem
{
    /// <summary>An ADDED, MODIFIED or DELETED event.</summary>
    public sealed record Change(string Type, StoredObject Object) : WatchItem;

    /// <summary>A BOOKMARK carrying only a resourceVersion (and maybe the initial-events-end annotation).</summary>
    public sealed record Bookmark(long ResourceVersion, bool InitialEventsEnd) : WatchItem;

    /// <summary>An ERROR event with a Status; the stream ends after it.</summary>
    public sealed record Error(JsonObject Status) : WatchItem;
}
