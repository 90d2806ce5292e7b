namespace GitOpsReverser.Sanitizing;

/// <summary>
/// One row of <see cref="FieldRules.All"/>: remove the field at <see cref="Path"/> of the listed built-in
/// kinds when <see cref="Matches"/> holds. Paths are dotted; <c>[*]</c> visits every list item,
/// <c>[some.key/name]</c> is a key containing dots, <c>a|b</c> names two paths, and placeholders expand per kind:
/// <c>{pod}</c> (the pod spec), <c>{template}</c> (the pod template), <c>{container}</c> (every container
/// list) and <c>{probe}</c> (liveness, readiness, startup).
/// </summary>
internal sealed record FieldRule(
    string Id,
    FieldRuleCategory Category,
    string[] Kinds,
    string Path,
    FieldValueMatch Matches,
    string Default);
