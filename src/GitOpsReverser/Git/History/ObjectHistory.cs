using GitOpsReverser.Git.Layout;
using LibGit2Sharp;

namespace GitOpsReverser.Git.History;

/// <summary>One commit that changed an object's file: when, how, by whom, and (when asked) the change itself.</summary>
/// <param name="Id">The commit's full id.</param>
/// <param name="When">The commit's author time: when the change was made.</param>
/// <param name="Operation"><c>CREATE</c>, <c>UPDATE</c> or <c>DELETE</c>, from what the commit did to the file.</param>
/// <param name="Who"><c>user/NAME</c> when the commit's author is a person the attribution webhook saw, <c>manager/NAME</c> from the subject, else <c>unknown</c>.</param>
/// <param name="Subject">The commit's subject line.</param>
/// <param name="Patch">The file's change as a unified diff, when asked for.</param>
internal sealed record HistoryEntry(string Id, DateTimeOffset When, string Operation, string Who, string Subject, string? Patch);

/// <summary>
/// The history of one object in a repository the operator writes: the commits of a branch that changed its file,
/// newest first. The file is found by the object's kind (case-insensitively, as <c>Kind</c> or <c>Kind.group</c>
/// folders), namespace and name under the repository's layout, at the branch's head or, for an object since
/// deleted, in the newest commit that had it.
/// </summary>
internal static class ObjectHistory
{
    /// <summary>The commits of <paramref name="branch"/> (null: the repository's HEAD) that changed the object's file.</summary>
    public static (string? Path, IReadOnlyList<HistoryEntry> Entries) Of(
        string repositoryPath, string? branch, string baseFolder, string kind, string? ns, string name, bool withPatch)
    {
        using var repository = Repository.IsValid(repositoryPath)
            ? new Repository(repositoryPath)
            : throw new ArgumentException("not a Git repository (a clone of the GitRepoConfig's repository is needed)");
        var tip = (branch is null ? repository.Head : repository.Branches[branch])?.Tip
            ?? throw new InvalidOperationException(branch is null ? "the repository has no commit" : $"the repository has no branch {branch}");
        var prefix = RepositoryLayout.NormalizeBaseFolder(baseFolder) is { Length: > 0 } normalized ? normalized + "/" : "";
        var parent = prefix + (ns is null ? RepositoryLayout.ClusterScopedFolder : $"{RepositoryLayout.NamespacedFolder}/{ns}");
        var file = FileNameEncoding.Encode(name);
        if (FindPath(repository, tip, parent, kind, file) is not { } path)
        {
            return (null, []);
        }

        var entries = new List<HistoryEntry>();
        // Every commit whose file differs from its first parent's (libgit2's file history follows a path from the tip,
        // and finds nothing for an object deleted since).
        foreach (var commit in repository.Commits.QueryBy(new CommitFilter { IncludeReachableFrom = tip, SortBy = CommitSortStrategies.Topological }))
        {
            var previous = commit.Parents.FirstOrDefault();
            var before = previous?[path]?.Target.Id;
            var after = commit[path]?.Target.Id;
            if (before == after)
            {
                continue;
            }

            var operation = before is null ? "CREATE" : after is null ? "DELETE" : "UPDATE";
            var patch = withPatch ? repository.Diff.Compare<Patch>(previous?.Tree, commit.Tree, [path]).Content : null;
            entries.Add(new HistoryEntry(commit.Sha, commit.Author.When, operation, Who(commit), commit.MessageShort, patch));
        }

        return (path, entries);
    }

    // The object's file: its kind folder matched case-insensitively (Kind, or Kind.group) under the namespace's or the
    // cluster-scoped folder, at the tip or, for an object deleted since, in the newest commit that had one.
    private static string? FindPath(Repository repository, Commit tip, string parent, string kind, string file)
    {
        foreach (var commit in repository.Commits.QueryBy(new CommitFilter { IncludeReachableFrom = tip, SortBy = CommitSortStrategies.Topological }).Take(10_000))
        {
            if (commit[parent]?.Target is not Tree folders)
            {
                continue;
            }

            foreach (var candidate in folders.Where(entry => entry.TargetType == TreeEntryTargetType.Tree && RepositoryLayout.KindFolderNames(entry.Name, kind)))
            {
                if (candidate.Target is Tree files && files[file] is not null)
                {
                    return $"{parent}/{candidate.Name}/{file}";
                }
            }
        }

        return null;
    }

    // A person the webhook saw authors the commit; otherwise the operator does and the subject may name a field manager.
    internal static string Who(Commit commit)
    {
        if (commit.Author.Name != commit.Committer.Name || commit.Author.Email != commit.Committer.Email)
        {
            return $"user/{commit.Author.Name}";
        }

        var subject = commit.MessageShort;
        var at = subject.LastIndexOf(" by manager/", StringComparison.Ordinal);
        return at >= 0 ? subject[(at + 4)..] : "unknown";
    }
}
