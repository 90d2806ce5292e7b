using GitOpsReverser.Git.Clone;
using LibGit2Sharp;

namespace GitOpsReverser.Git.Pipeline;

/// <summary>
/// Last writer wins, when a push finds that the branch moved: the unpushed commits are re-made on
/// top of the remote head, one by one, with their messages, authors and times. A change to a path
/// that a newer remote commit also changed is dropped (Git wins); a change older than nothing the
/// remote did is re-applied (cluster wins). Never a merge commit, never a force push.
/// </summary>
internal static class PendingReplay
{
    /// <summary>Re-makes <paramref name="pending"/> (oldest first) on <paramref name="remoteHead"/>; returns (re-applied, dropped) conflicting changes.</summary>
    public static (int Reapplied, int Dropped) Replay(LocalClone clone, IReadOnlyList<Commit> pending, Commit remoteHead)
    {
        var repository = clone.Repository;
        var remoteTimes = RemoteChangeTimes(repository, remoteHead, pending);
        clone.MoveHead(remoteHead);
        var (reapplied, dropped) = (0, 0);
        foreach (var commit in pending)
        {
            foreach (var change in repository.Diff.Compare<TreeChanges>(commit.Parents.FirstOrDefault()?.Tree, commit.Tree))
            {
                if (remoteTimes.TryGetValue(change.Path, out var remoteTime))
                {
                    if (remoteTime > commit.Author.When)
                    {
                        dropped++;
                        continue;
                    }

                    reapplied++;
                }

                if (change.Status == ChangeKind.Deleted)
                {
                    clone.Tree.Remove(change.Path);
                }
                else
                {
                    clone.Tree.Set(change.Path, change.Oid);
                }
            }

            clone.Commit(commit.Message, commit.Author, commit.Committer);
        }

        return (reapplied, dropped);
    }

    // When each path was last changed by a remote commit the pending commits do not contain.
    private static Dictionary<string, DateTimeOffset> RemoteChangeTimes(Repository repository, Commit remoteHead, IReadOnlyList<Commit> pending)
    {
        var filter = new CommitFilter { IncludeReachableFrom = remoteHead };
        if (pending.Count > 0 && pending[0].Parents.FirstOrDefault() is { } base_)
        {
            filter.ExcludeReachableFrom = base_;
        }

        var times = new Dictionary<string, DateTimeOffset>(StringComparer.Ordinal);
        foreach (var commit in repository.Commits.QueryBy(filter))
        {
            foreach (var change in repository.Diff.Compare<TreeChanges>(commit.Parents.FirstOrDefault()?.Tree, commit.Tree))
            {
                if (!times.TryGetValue(change.Path, out var known) || known < commit.Committer.When)
                {
                    times[change.Path] = commit.Committer.When;
                }
            }
        }

        return times;
    }
}
