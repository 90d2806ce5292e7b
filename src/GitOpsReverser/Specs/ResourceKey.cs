namespace GitOpsReverser.Specs;

/// <summary>Names one of the operator's own objects: <c>WatchRule team-a/configs</c>, <c>ClusterWatchRule everything</c>.</summary>
internal readonly record struct ResourceKey(string Kind, string? Namespace, string Name)
{
    public override string ToString() => Namespace is null ? $"{Kind} {Name}" : $"{Kind} {Namespace}/{Name}";
}
