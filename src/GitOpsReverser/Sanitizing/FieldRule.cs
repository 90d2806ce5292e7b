namespace GitOpsReverser.Sanitizing;

/// <summary>
/// One row of <see cref="FieldRuleTable.All"/>: remove the field at <see cref="Path"/> of the listed built-in
/// kinds when <see cref="Matches"/> holds. Paths are dotted; <c>[*]</c> visits every list item,
/// <c>[some.key/name]</c> is a key containing dots, <c>a|b</c> names two paths, and placeholders expand per kind:
/// <c>{pod}</c> (the pod spec), <c>{template}</c> (the pod template), <c>{container}</c> (every container
/// list) and <c>{probe}</c> (liveness, readiness, startup). With <see cref="EachItem"/> the field is a list and only the
/// items <see cref="Matches"/> accepts go (the list with them, when none is left).
/// </summary>
internal sealed record FieldRule(
    string Id,
    FieldRuleCategory Category,
    string[] Kinds,
    string Path,
    FieldValueMatch Matches,
    string Default)
{
    /// <summary>Remove matching items of the list at <see cref="Path"/> rather than the field.</summary>
    public bool EachItem { get; init; }
}
