using System.Globalization;
using GitOpsReverser.Git.Layout;
using LibGit2Sharp;

namespace GitOpsReverser.Git.History;

/// <summary>A commit a restore reads: its id, when its change was made, and its subject.</summary>
internal sealed record RecordedCommit(string Id, DateTimeOffset When, string Subject);

/// <summary>
/// One object file of the repository: its content at the commit restored to (null: the object was not recorded
/// then) and at the branch's tip (null: it is not recorded now, deleted since or never captured).
/// </summary>
internal sealed record RecordedFile(string Path, byte[]? AtPoint, byte[]? AtTip);

/// <summary>
/// What a repository the operator writes recorded at one point of its history, beside what it records at its
/// branch's tip: the object files under the layout's <c>namespaces/</c> and <c>cluster-scoped/</c> folders.
/// </summary>
internal static class RecordedState
{
    /// <summary>
    /// The files at <paramref name="at"/> and at the tip of <paramref name="branch"/> (null: HEAD). <paramref name="at"/>
    /// is a commit (an id, a prefix of one, or a ref), a time (the newest commit of the branch made at or before it),
    /// or null for the tip. Throws <see cref="ArgumentException"/> saying what cannot be found.
    /// </summary>
    public static (RecordedCommit Point, RecordedCommit Tip, IReadOnlyList<RecordedFile> Files) Read(
        string repositoryPath, string? branch, string baseFolder, string? at)
    {
        using var repository = new Repository(repositoryPath);
        var tip = (branch is null ? repository.Head : repository.Branches[branch] ?? repository.Branches[$"origin/{branch}"])?.Tip
            ?? throw new ArgumentException(branch is null ? "the repository has no commit" : $"the repository has no branch {branch}");
        var point = at is null ? tip : Resolve(repository, tip, at);
        var prefix = RepositoryLayout.NormalizeBaseFolder(baseFolder) is { Length: > 0 } normalized ? normalized + "/" : "";
        // A file unchanged between the two (every file, at the tip) is one blob, read once.
        var contents = new Dictionary<ObjectId, byte[]>();
        byte[] Content(Blob blob) => contents.TryGetValue(blob.Id, out var known) ? known : contents[blob.Id] = BlobBytes.Of(blob);

        var files = new SortedDictionary<string, (byte[]? Point, byte[]? Tip)>(StringComparer.Ordinal);
        foreach (var (path, blob) in ObjectFiles(point.Tree, prefix))
        {
            files[path] = (Content(blob), null);
        }

        foreach (var (path, blob) in ObjectFiles(tip.Tree, prefix))
        {
            files[path] = (files.TryGetValue(path, out var known) ? known.Point : null, Content(blob));
        }

        return (Describe(point), Describe(tip), [.. files.Select(file => new RecordedFile(file.Key, file.Value.Point, file.Value.Tip))]);
    }

    private static Commit Resolve(Repository repository, Commit tip, string at)
    {
        if (repository.Lookup<Commit>(at) is { } commit)
        {
            return commit;
        }

        if (!DateTimeOffset.TryParse(at, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time))
        {
            throw new ArgumentException($"--at {at} is neither a commit of this repository nor a time (2026-12-06T10:00:00Z)");
        }

        return repository.Commits.QueryBy(new CommitFilter { IncludeReachableFrom = tip, SortBy = CommitSortStrategies.Topological })
            .FirstOrDefault(candidate => candidate.Author.When <= time)
            ?? throw new ArgumentException($"--at {at}: the branch has no commit that old (its first is later)");
    }

    private static RecordedCommit Describe(Commit commit) => new(commit.Sha, commit.Author.When, commit.MessageShort);

    private static IEnumerable<(string Path, Blob Blob)> ObjectFiles(Tree root, string prefix)
    {
        foreach (var folder in new[] { RepositoryLayout.NamespacedFolder, RepositoryLayout.ClusterScopedFolder })
        {
            if (root[prefix + folder]?.Target is Tree tree)
            {
                foreach (var file in Blobs(tree, prefix + folder))
                {
                    yield return file;
                }
            }
        }
    }

    private static IEnumerable<(string Path, Blob Blob)> Blobs(Tree tree, string path)
    {
        foreach (var entry in tree)
        {
            if (entry.Target is Tree child)
            {
                foreach (var file in Blobs(child, $"{path}/{entry.Name}"))
                {
                    yield return file;
                }
            }
            else if (entry.Target is Blob blob && entry.Name.EndsWith(".yaml", StringComparison.Ordinal))
            {
                yield return ($"{path}/{entry.Name}", blob);
            }
        }
    }
}
