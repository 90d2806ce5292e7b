using LibGit2Sharp;

namespace GitOpsReverser.Git.Clone;

/// <summary>
/// One packing of a clone with libgit2's pack builder, on a thread and a repository handle of its own
/// while the worker goes on committing. Usually it packs the loose objects there are when it runs; once
/// the clone has <see cref="LocalClone.MaximumPacks"/> packs, it packs every object into one, and the
/// packs it replaced go when the worker finishes it (<see cref="DeleteReplacedPacks"/>), as a handle may
/// still read them until then. A loose file is deleted only once the pack holding it is complete, so a
/// reader that misses it finds it in the new pack (libgit2 rescans the pack folder on a miss).
/// </summary>
internal sealed class ClonePack(string clonePath, bool full, int commits, long looseBytes)
{
    private string[] replacedPacks = [];

    /// <summary>Whether this packing rewrites every object into one pack.</summary>
    public bool Full { get; } = full;

    /// <summary>The commits made before the packing started (it packs those, and maybe some made since).</summary>
    public int Commits { get; } = commits;

    /// <summary>The loose bytes written before the packing started.</summary>
    public long LooseBytes { get; } = looseBytes;

    private string ObjectsFolder => Path.Combine(clonePath, "objects");

    private string PacksFolder => Path.Combine(ObjectsFolder, "pack");

    /// <summary>Writes the pack, then deletes the loose files it holds.</summary>
    public void Run()
    {
        // Objects are renamed into place complete, so the listing holds whole objects only; those written
        // after it stay loose for the next packing.
        var loose = LooseObjectIds().ToList();
        Directory.CreateDirectory(PacksFolder);
        var packs = Directory.GetFiles(PacksFolder, "pack-*");

        // A full pack is written aside and moved in, so that it is told apart from the packs it replaces even
        // when it has the name of one of them (a pack is named after its content).
        var destination = Full ? Path.Combine(ObjectsFolder, "full-pack") : PacksFolder;
        Directory.CreateDirectory(destination);
        using (var repository = new Repository(clonePath))
        {
            IEnumerable<ObjectId> objects = Full ? [.. repository.ObjectDatabase.Select(each => each.Id)] : loose;
            if (!objects.Any())
            {
                return;
            }

            repository.ObjectDatabase.Pack(new PackBuilderOptions(destination) { MaximumNumberOfThreads = 1 }, builder =>
            {
                foreach (var id in objects)
                {
                    builder.Add(id);
                }
            });
        }

        if (Full)
        {
            // libgit2 finds a pack by its index, so the index goes in last.
            var written = Directory.GetFiles(destination, "pack-*").OrderBy(file => file.EndsWith(".idx", StringComparison.Ordinal)).ToList();
            foreach (var file in written)
            {
                File.Move(file, Path.Combine(PacksFolder, Path.GetFileName(file)), overwrite: true);
            }

            var kept = written.Select(Path.GetFileName).ToHashSet();
            replacedPacks = [.. packs.Where(pack => !kept.Contains(Path.GetFileName(pack)))];
        }

        foreach (var id in loose)
        {
            File.Delete(Path.Combine(ObjectsFolder, id.Sha[..2], id.Sha[2..]));
        }
    }

    /// <summary>After a full packing, once every handle has been opened afresh: the packs it replaced go.</summary>
    public void DeleteReplacedPacks()
    {
        foreach (var pack in replacedPacks)
        {
            File.Delete(pack);
        }
    }

    private IEnumerable<ObjectId> LooseObjectIds() =>
        Directory.GetDirectories(ObjectsFolder)
            .Where(folder => Path.GetFileName(folder) is { Length: 2 } prefix && prefix.All(char.IsAsciiHexDigitLower))
            .SelectMany(folder => Directory.GetFiles(folder)
                .Select(Path.GetFileName)
                .Where(name => name is { Length: 38 } && name.All(char.IsAsciiHexDigitLower))
                .Select(name => new ObjectId(Path.GetFileName(folder) + name)));
}
