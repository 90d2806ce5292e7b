namespace GitOpsReverser.KubeSim.Storage;

/// <summary>One page of a list, read from the snapshot at <paramref name="ResourceVersion"/>.</summary>
/// <param name="Items">The objects of this page, in key order.</param>
/// <param name="ResourceVersion">The snapshot's resourceVersion (the list's metadata.resourceVersion).</param>
/// <param name="LastKey">The last key of this page when more objects follow, else null.</param>
/// <param name="Remaining">How many objects follow (null when a selector makes that unknown).</param>
internal sealed record ListPage(IReadOnlyList<StoredObject> Items, long ResourceVersion, string? LastKey, long? Remaining);
