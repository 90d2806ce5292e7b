using System.Text.RegularExpressions;
using LibGit2Sharp;

namespace GitOpsReverser.Git.Pipeline;

/// <summary>
/// What a branch's recent history already holds, to tell which of a standby's changes the old leader committed:
/// by resource version (the <c>Resource Version</c> line of a one-file commit names the object's version for that
/// file), and otherwise by content (a file that became exactly this content, or went, in one of the commits).
/// </summary>
internal sealed partial class CommittedChanges
{
    /// <summary>How far back the history is read at the most.</summary>
    public const int MaxCommits = 10_000;

    private readonly HashSet<(string Path, string Version)> versions = [];
    private readonly HashSet<string> pathsWithVersions = new(StringComparer.Ordinal);
    private readonly HashSet<(string Path, ObjectId? Blob)> states = [];

    /// <summary>The commits from <paramref name="head"/> back (first parents) to the first made before <paramref name="since"/>.</summary>
    public static CommittedChanges Since(Repository repository, Commit? head, DateTimeOffset since)
    {
        var committed = new CommittedChanges();
        var commit = head;
        for (var read = 0; commit is not null && read < MaxCommits && commit.Committer.When >= since; read++)
        {
            var parent = commit.Parents.FirstOrDefault();
            var changes = repository.Diff.Compare<TreeChanges>(parent?.Tree, commit.Tree);
            foreach (var change in changes)
            {
                committed.states.Add((change.Path, change.Status == ChangeKind.Deleted ? null : change.Oid));
            }

            if (changes.Count == 1 && ResourceVersion().Match(commit.Message) is { Success: true } version)
            {
                var path = changes.First().Path;
                committed.versions.Add((path, version.Groups[1].Value));
                committed.pathsWithVersions.Add(path);
            }

            commit = parent;
        }

        return committed;
    }

    /// <summary>Whether <paramref name="change"/> is already in the history (its blob id given for content).</summary>
    public bool Contains(GitChange change, ObjectId? blob)
    {
        if (change.Description.ResourceVersion is { Length: > 0 } version && pathsWithVersions.Contains(change.Path))
        {
            return versions.Contains((change.Path, version));
        }

        return states.Contains((change.Path, change.IsDeletion ? null : blob));
    }

    [GeneratedRegex(@"^- Resource Version: (\S+)$", RegexOptions.Multiline)]
    private static partial Regex ResourceVersion();
}
