using LibGit2Sharp;

namespace GitOpsReverser.Git;

/// <summary>
/// Packs the loose objects a clone holds when the packing runs, while the worker goes on committing.
/// The commits since the last packing go in as <see cref="CommitPack"/> writes them (folders and files
/// as deltas against their previous versions in the same pack), anything else loose whole. Commits made
/// after the listing only add loose files, which this packing neither packs nor deletes: commits made after the listing only add loose files, which this packing
/// neither packs nor deletes. A loose file is deleted only once the pack holding it is complete, so a reader that misses
/// it finds it in the new pack (libgit2 rescans the pack folder on a miss).
/// </summary>
internal sealed class LoosePacking
{
    private readonly string clonePath;
    private readonly ObjectId? head;

    public LoosePacking(string clonePath, ObjectId? head, int commits, long looseBytes)
    {
        this.clonePath = clonePath;
        this.head = head;
        Commits = commits;
        LooseBytes = looseBytes;
    }

    /// <summary>The commits made before the packing started (it packs those, and maybe some made since).</summary>
    public int Commits { get; }

    /// <summary>The loose bytes written before the packing started.</summary>
    public long LooseBytes { get; }

    /// <summary>Packs the loose objects there are when it runs: <see cref="List"/>, then <see cref="Pack"/>.</summary>
    public void Run() => Pack(List());

    /// <summary>
    /// The loose objects there are now. Objects are renamed into place complete, so the list holds
    /// whole objects only; those written after it stay loose for the next packing. Listing runs on the
    /// packing's thread too: the first packing after a resync lists every blob of the repository.
    /// </summary>
    public IReadOnlyList<ObjectId> List() => [.. LooseObjectIds(ObjectsFolder(clonePath))];

    /// <summary>Writes <paramref name="objects"/> into a pack, then deletes their loose files.</summary>
    public void Pack(IReadOnlyList<ObjectId> objects)
    {
        if (objects.Count == 0)
        {
            return;
        }

        var objectsFolder = ObjectsFolder(clonePath);
        var loose = objects.ToHashSet();
        using (var reader = new RawObjectReader(clonePath))
        {
            var pack = CommitPack.ForClone(reader, loose);
            pack.AddCommits(CommitsSinceLastPacking(reader, loose));
            foreach (var id in objects)
            {
                pack.AddObject(id);
            }

            PackWriter.Save(objectsFolder, pack.ToArray(), pack.Index);
        }

        foreach (var id in objects)
        {
            File.Delete(Path.Combine(objectsFolder, id.Sha[..2], id.Sha[2..]));
        }
    }

    // The head's first-parent line back to the first commit that is not loose (packed before), oldest first.
    private List<ObjectId> CommitsSinceLastPacking(RawObjectReader reader, HashSet<ObjectId> loose)
    {
        var commits = new List<ObjectId>();
        for (var commit = head; commit is not null && loose.Contains(commit); commit = CommitPack.FirstParent(reader, commit))
        {
            commits.Add(commit);
        }

        commits.Reverse();
        return commits;
    }

    private static IEnumerable<ObjectId> LooseObjectIds(string objectsFolder) =>
        Directory.GetDirectories(objectsFolder)
            .Where(folder => Path.GetFileName(folder) is { Length: 2 } prefix && prefix.All(char.IsAsciiHexDigitLower))
            .SelectMany(folder => Directory.GetFiles(folder)
                .Select(Path.GetFileName)
                .Where(name => name is { Length: 38 } && name.All(char.IsAsciiHexDigitLower))
                .Select(name => new ObjectId(Path.GetFileName(folder) + name)));

    private static string ObjectsFolder(string clonePath) => Path.Combine(clonePath, "objects");
}
