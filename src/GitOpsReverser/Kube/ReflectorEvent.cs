using GitOpsReverser.Manifests;

namespace GitOpsReverser.Kube;

/// <summary>What a reflector reports: an object as it is now, an object gone, or the end of a full list.</summary>
internal abstract record ReflectorEvent
{
    /// <summary>An object was listed, added or modified.</summary>
    public sealed record Upserted(string Key, MappingNode Object) : ReflectorEvent;

    /// <summary>An object was deleted (<paramref name="LastState"/> is null when a relist found it gone).</summary>
    public sealed record Deleted(string Key, MappingNode? LastState) : ReflectorEvent;

    /// <summary>A full list has been reported: every object now exists as the events say. <paramref name="Ticket"/> is the relist ticket the list started under.</summary>
    public sealed record Synced(long Ticket) : ReflectorEvent;
}
