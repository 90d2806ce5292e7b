namespace GitOpsReverser.Restore;

/// <summary>What a restore covers and may do.</summary>
/// <param name="Namespace">Only this namespace's objects (and the Namespace itself); null for all.</param>
/// <param name="Objects">Only these objects, as KIND/NAME or KIND.GROUP/NAME; empty for all.</param>
/// <param name="Prune">Delete live objects the repository holds now but did not hold at the commit.</param>
/// <param name="Apply">Change the cluster; otherwise every request is a dry run.</param>
/// <param name="ForceConflicts">Take fields other field managers own instead of reporting a conflict.</param>
internal sealed record RestoreRequest(string? Namespace, IReadOnlyList<string> Objects, bool Prune, bool Apply, bool ForceConflicts)
{
    /// <summary>The field manager a restore applies as, so the operator's commit names it: <c>by manager/gitops-reverser-restore</c>.</summary>
    public const string FieldManager = "gitops-reverser-restore";

    /// <summary>Whether <paramref name="recorded"/> is in scope.</summary>
    public bool Covers(RecordedObject recorded)
    {
        var identity = recorded.Identity;
        if (Namespace is not null && identity.Namespace != Namespace && !(identity is { Kind: "Namespace", Namespace: null } && identity.Name == Namespace))
        {
            return false;
        }

        return Objects.Count == 0 || Objects.Any(target => Names(target, identity.Kind, identity.Group, identity.Name));
    }

    private static bool Names(string target, string kind, string group, string name)
    {
        var slash = target.IndexOf('/', StringComparison.Ordinal);
        if (slash <= 0 || target[(slash + 1)..] != name)
        {
            return false;
        }

        var asked = target[..slash];
        var dot = asked.IndexOf('.', StringComparison.Ordinal);
        return dot < 0
            ? string.Equals(asked, kind, StringComparison.OrdinalIgnoreCase)
            : string.Equals(asked[..dot], kind, StringComparison.OrdinalIgnoreCase) && string.Equals(asked[(dot + 1)..], group, StringComparison.OrdinalIgnoreCase);
    }
}
