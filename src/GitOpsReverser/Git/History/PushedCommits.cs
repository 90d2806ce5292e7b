using GitOpsReverser.Git.Layout;
using LibGit2Sharp;

namespace GitOpsReverser.Git.History;

/// <summary>One object file a commit changed: its path, the operation, and its content before and after (null: none).</summary>
internal sealed record PushedFile(string Path, string Operation, byte[]? Before, byte[]? After);

/// <summary>A commit that reached the remote: its id, when its change was made, who made it, its subject and its files.</summary>
internal sealed record PushedCommit(string Id, DateTimeOffset When, string Who, string Subject, IReadOnlyList<PushedFile> Files);

/// <summary>
/// The commits a push took to the remote, read from the worker's clone through a handle of its own (libgit2 lets
/// several read one repository), so that reading them never holds the worker back.
/// </summary>
internal static class PushedCommits
{
    /// <summary>
    /// The first-parent commits after <paramref name="from"/> (null: from the start) up to <paramref name="to"/>, oldest
    /// first, at most <paramref name="max"/> of them (the newest); <c>More</c> counts those left out. Throws
    /// <see cref="IOException"/> when the clone cannot be read.
    /// </summary>
    public static (IReadOnlyList<PushedCommit> Commits, int More) Read(string clonePath, string? from, string to, int max, int maxFilesPerCommit)
    {
        try
        {
            return ReadRange(clonePath, from, to, max, maxFilesPerCommit);
        }
        catch (LibGit2SharpException exception)
        {
            throw new IOException(exception.Message, exception);
        }
    }

    private static (IReadOnlyList<PushedCommit> Commits, int More) ReadRange(string clonePath, string? from, string to, int max, int maxFilesPerCommit)
    {
        using var repository = new Repository(clonePath);
        var commits = new List<Commit>();
        var more = 0;
        for (var commit = repository.Lookup<Commit>(to); commit is not null && commit.Sha != from; commit = commit.Parents.FirstOrDefault())
        {
            if (commits.Count < max)
            {
                commits.Add(commit);
            }
            else if (++more > 100_000)
            {
                break;
            }
        }

        commits.Reverse();
        return ([.. commits.Select(commit => Describe(repository, commit, maxFilesPerCommit))], more);
    }

    private static PushedCommit Describe(Repository repository, Commit commit, int maxFiles)
    {
        var files = new List<PushedFile>();
        foreach (var change in repository.Diff.Compare<TreeChanges>(commit.Parents.FirstOrDefault()?.Tree, commit.Tree))
        {
            if (files.Count == maxFiles || !change.Path.EndsWith(".yaml", StringComparison.Ordinal)
                || !(change.Path.Contains(RepositoryLayout.NamespacedFolder + "/", StringComparison.Ordinal) || change.Path.Contains(RepositoryLayout.ClusterScopedFolder + "/", StringComparison.Ordinal)))
            {
                continue;
            }

            var (operation, before, after) = change.Status switch
            {
                ChangeKind.Added => ("CREATE", null, BlobBytes.Of(repository.Lookup<Blob>(change.Oid))),
                ChangeKind.Deleted => ("DELETE", BlobBytes.Of(repository.Lookup<Blob>(change.OldOid)), null),
                _ => ("UPDATE", BlobBytes.Of(repository.Lookup<Blob>(change.OldOid)), BlobBytes.Of(repository.Lookup<Blob>(change.Oid))),
            };
            files.Add(new PushedFile(change.Path, operation, before, after));
        }

        return new PushedCommit(commit.Sha, commit.Author.When, ObjectHistory.Who(commit), commit.MessageShort, files);
    }
}
