namespace GitOpsReverser.Specs;

/// <summary>
/// One <c>ignoreFields</c> entry, checked: for objects of <see cref="Group"/> and <see cref="Kind"/> (<c>*</c> for
/// any), the fields at <see cref="JsonPointers"/> and those <see cref="Managers"/> own are not written.
/// </summary>
internal sealed record IgnoredFields(string Group, string Kind, IReadOnlyList<string> JsonPointers, IReadOnlyList<string> Managers)
{
    public bool AppliesTo(string group, string kind) => (Group == "*" || Group == group) && (Kind == "*" || Kind == kind);

    /// <summary>As the rule's status and the resync settings name it: <c>apps/Deployment: /spec/replicas, managers kube-controller-manager</c>.</summary>
    public override string ToString()
    {
        var parts = JsonPointers.ToList();
        if (Managers.Count > 0)
        {
            parts.Add($"managers {string.Join(' ', Managers)}");
        }

        return $"{(Group.Length == 0 ? "core" : Group)}/{Kind}: {string.Join(", ", parts)}";
    }
}
