using System.Text;

namespace GitOpsReverser.Git.Messages;

/// <summary>
/// The default commit message:
/// <code>
/// [CREATE] ConfigMap/app-config in ns/production by user/admin@company.com
///
/// - Resource: ConfigMap/app-config
/// - Namespace: production
/// - Operation: CREATE
/// - User: admin@company.com
/// - Timestamp: 2025-01-31T18:30:00Z
/// - Resource Version: 12345
/// </code>
/// A cluster-scoped object has no "in ns/…" and no Namespace line. Only a user the attribution webhook
/// saw is a user: otherwise the subject names the field manager (<c>by manager/kubectl-edit</c>) and the
/// body says <c>User: unknown</c>; with neither, the subject names no one. <c>Groups:</c> follows the user
/// when known; an unknown resource version has no Resource Version line.
/// </summary>
internal static class CommitMessage
{
    /// <summary>The default message; <paramref name="coalesced"/> above 1 adds <c>- Coalesced: N changes</c>.</summary>
    public static string Default(ChangeDescription change, int coalesced = 1)
    {
        var operation = CommitMessageValues.Operation(change);
        var resource = $"{change.Object.Kind}/{change.Object.Name}";
        var user = CommitMessageValues.User(change);
        var manager = CommitMessageValues.Manager(change);
        var message = new StringBuilder();
        message.Append('[').Append(operation).Append("] ").Append(resource);
        if (change.Object.Namespace is { } ns)
        {
            message.Append(" in ns/").Append(ns);
        }

        if (user is not null)
        {
            message.Append(" by user/").Append(user);
        }
        else if (manager is not null)
        {
            message.Append(" by manager/").Append(manager);
        }

        message.Append("\n\n- Resource: ").Append(resource).Append('\n');
        if (change.Object.Namespace is { } bodyNamespace)
        {
            message.Append("- Namespace: ").Append(bodyNamespace).Append('\n');
        }

        message.Append("- Operation: ").Append(operation).Append('\n');
        message.Append("- User: ").Append(user ?? CommitMessageValues.UnknownUser).Append('\n');
        if (user is not null && change.Groups.Count > 0)
        {
            message.Append("- Groups: ").Append(CommitMessageValues.Groups(change)).Append('\n');
        }

        message.Append("- Timestamp: ").Append(CommitMessageValues.Timestamp(change)).Append('\n');
        if (!string.IsNullOrEmpty(change.ResourceVersion))
        {
            message.Append("- Resource Version: ").Append(change.ResourceVersion).Append('\n');
        }

        if (coalesced > 1)
        {
            message.Append("- Coalesced: ").Append(coalesced).Append(" changes\n");
        }

        return message.ToString();
    }

    /// <summary>A template's message, with <c>Coalesced: N changes</c> after it when it stands for folded changes.</summary>
    public static string WithCoalesced(string message, int coalesced) =>
        coalesced > 1 ? $"{message.TrimEnd('\n')}\n\nCoalesced: {coalesced} changes\n" : message;

    /// <summary>A commit window's commit: <c>[BATCH] N changes</c>, then every change's subject in order, each with its own operation.</summary>
    public static string Batch(IReadOnlyList<(ChangeDescription Description, int Changes)> changes)
    {
        var message = new StringBuilder();
        message.Append("[BATCH] ").Append(changes.Count).Append(" changes\n\n");
        foreach (var (description, count) in changes)
        {
            message.Append("- ").Append(Default(description).Split('\n')[0]);
            if (count > 1)
            {
                message.Append(" (coalesced: ").Append(count).Append(" changes)");
            }

            message.Append('\n');
        }

        return message.ToString();
    }

    /// <summary>The most changes a resync message lists one per line; the rest are counted.</summary>
    public const int ResyncLines = 200;

    /// <summary>
    /// One commit that brings the repository to the cluster's state after a start or a rule change:
    /// <c>[RESYNC] 3 changes</c>, then one line per change, with its note in parentheses when it has one.
    /// </summary>
    public static string Resync(IReadOnlyList<ChangeDescription> changes)
    {
        var message = new StringBuilder();
        message.Append("[RESYNC] ").Append(changes.Count).Append(changes.Count == 1 ? " change" : " changes").Append("\n\n");
        foreach (var change in changes.Take(ResyncLines))
        {
            message.Append("- ").Append(Default(change).Split('\n')[0]);
            if (change.Note is { } note)
            {
                message.Append(" (").Append(note).Append(')');
            }

            message.Append('\n');
        }

        if (changes.Count > ResyncLines)
        {
            message.Append("- … and ").Append(changes.Count - ResyncLines).Append(" more\n");
        }

        return message.ToString();
    }
}
