namespace GitOpsReverser.Restore;

/// <summary>What a restore does, or would do, to one object.</summary>
internal enum RestoreAction
{
    /// <summary>Not on the cluster: created.</summary>
    Create,

    /// <summary>On the cluster and different: its fields are set back.</summary>
    Change,

    /// <summary>Already as the commit recorded it: not written.</summary>
    Unchanged,

    /// <summary>Another field manager owns fields the restore would set; <c>--force-conflicts</c> takes them.</summary>
    Conflict,

    /// <summary>The API server refused it, or it cannot be read; the message says why.</summary>
    Refused,

    /// <summary>Owned by a controller that makes it again; not restored.</summary>
    Skipped,

    /// <summary>On the cluster, but not in the repository at the commit: deleted (with <c>--prune</c>).</summary>
    Prune,

    /// <summary>On the cluster, but not in the repository at the commit: kept (no <c>--prune</c>).</summary>
    Kept,
}

/// <summary>One object's result: the action, the server's or the restore's message, and the fields it changes.</summary>
internal sealed record ObjectOutcome(RecordedObject Object, RestoreAction Action, string? Message, IReadOnlyList<FieldChange> Changes);
