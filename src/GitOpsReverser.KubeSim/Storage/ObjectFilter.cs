namespace GitOpsReverser.KubeSim.Storage;

/// <summary>What a list or watch selects: one namespace (or all), a label and a field selector.</summary>
internal sealed record ObjectFilter(string? Namespace, LabelSelector? Labels, FieldSelector? Fields)
{
    public static ObjectFilter All { get; } = new(null, null, null);

    public bool HasSelectors => Labels is not null || Fields is not null;

    public bool Matches(StoredObject? stored) =>
        stored is not null
        && (Namespace is null || stored.Namespace == Namespace)
        && (Labels is null || Labels.Matches(stored.Labels))
        && (Fields is null || Fields.Matches(stored));
}
