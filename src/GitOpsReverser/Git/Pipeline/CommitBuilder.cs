using GitOpsReverser.Git.Clone;
using GitOpsReverser.Git.Messages;
using LibGit2Sharp;
using Microsoft.Extensions.Logging;

namespace GitOpsReverser.Git.Pipeline;

/// <summary>
/// Turns queued changes into commits on a worker's clone: one commit per change, a <c>[BATCH]</c> of a commit
/// window, a <c>[RESYNC]</c>, or a standby's changes after a takeover less what the old leader committed; with
/// the message the GitRepoConfig's template gives and the author the attribution webhook saw. It writes only to
/// the clone; when the commits go to the remote is <see cref="PushSchedule"/>'s business.
/// </summary>
internal sealed class CommitBuilder(LocalClone clone, RepoWorkerOptions options, GitMetrics metrics, TimeProvider time, ILogger logger)
{
    /// <summary>Commits one queued entry: a change, a <c>[RESYNC]</c> group, or a takeover's journal. Returns the commits made.</summary>
    public int Commit(QueuedChange entry) => entry.Change switch
    {
        { Takeover: { } journal } => Takeover(journal),
        { Resync: { } resync } => Commit([.. resync.Select(change => new QueuedChange(change, 1))], resync: true) ? 1 : 0,
        _ => Commit([entry], resync: false) ? 1 : 0,
    };

    // A standby's changes after a takeover: the history since the oldest of them says which the old leader
    // committed (and pushed: this clone was just fetched); each other one is its own commit, in order. Returns the commits made.
    private int Takeover(IReadOnlyList<GitChange> journal)
    {
        var since = journal.Min(change => change.Description.Timestamp) - TimeSpan.FromMinutes(1);
        var committed = CommittedChanges.Since(clone.Repository, clone.Head, since);
        var remaining = 0;
        var made = 0;
        foreach (var change in journal)
        {
            var blob = change.Content is { } content ? clone.WriteBlob(content) : null;
            if (!committed.Contains(change, blob))
            {
                remaining++;
                made += Commit([new QueuedChange(change, 1)], resync: false) ? 1 : 0;
            }
        }

        Log.TookOver(logger, options.Id, journal.Count, journal.Count - remaining, remaining);
        return made;
    }

    // Applies the entries to the tree in order and commits what changed: one change, a [BATCH] listing each
    // change with its own operation, or a [RESYNC]. An entry that stands for folded changes takes its
    // operation from what the branch holds: created and updated is a CREATE, updated and deleted a DELETE,
    // created and deleted no change at all. Returns whether a commit was made.
    public bool Commit(IReadOnlyList<QueuedChange> entries, bool resync)
    {
        var applied = new List<(ChangeDescription Description, int Changes)>();
        var tree = clone.Tree;
        foreach (var (change, changes) in entries)
        {
            // Only a folded entry needs to know what the branch held before it.
            var existed = changes > 1 && tree.Get(change.Path) is not null;
            var changed = change.IsDeletion
                ? tree.Remove(change.Path)
                : tree.Set(change.Path, clone.WriteBlob(change.Content!));
            metrics.Event(options.MetricsLabel, changed ? "committed" : "unchanged");
            if (changed)
            {
                var operation = changes == 1 ? change.Description.Operation
                    : change.IsDeletion ? ChangeOperation.Delete
                    : existed ? ChangeOperation.Update : ChangeOperation.Create;
                applied.Add((change.Description with { Operation = operation }, changes));
            }
            else if (changes > 1)
            {
                Log.CoalescedToNothing(logger, options.Id, $"{change.Description.Object.Kind}/{change.Description.Object.Name}", changes);
                metrics.Event(options.MetricsLabel, "coalesced-to-nothing");
            }
        }

        if (applied.Count == 0)
        {
            return false;
        }

        var now = time.GetUtcNow();
        var committer = new Signature(options.CommitterName, options.CommitterEmail, now);
        var commit = resync
            ? clone.Commit(CommitMessage.Resync([.. applied.Select(change => change.Description)]), committer, committer)
            : clone.Commit(Message(applied), Author([.. applied.Select(change => change.Description)], committer), committer);
        return commit is not null;
    }

    private string Message(IReadOnlyList<(ChangeDescription Description, int Changes)> changes)
    {
        if (changes.Count == 1)
        {
            var (description, count) = changes[0];
            return options.MessageTemplate is { } template
                ? CommitMessage.WithCoalesced(template.Render(description), count)
                : CommitMessage.Default(description, count);
        }

        return CommitMessage.Batch(changes);
    }

    // The author is the user who made the change, when the attribution webhook saw one, at the time of the
    // change (the conflict rules compare that time with the remote's commits); a field manager is a program,
    // not a person, so without a user the operator itself is the author.
    private Signature Author(IReadOnlyList<ChangeDescription> changes, Signature committer)
    {
        if (changes.Count != 1 || CommitMessageValues.User(changes[0]) is not { } user)
        {
            return changes.Count == 1 ? new Signature(committer.Name, committer.Email, changes[0].Timestamp) : committer;
        }

        // Angle brackets would end a Git identity's name or e-mail early.
        var name = user.Replace('<', ' ').Replace('>', ' ');
        var email = name.Contains('@', StringComparison.Ordinal) ? name : $"{name}@{options.UserEmailDomain}";
        return new Signature(name, email, changes[0].Timestamp);
    }
}
