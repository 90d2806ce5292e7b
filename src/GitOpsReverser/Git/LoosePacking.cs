using LibGit2Sharp;

namespace GitOpsReverser.Git;

/// <summary>
/// Packs the loose objects a clone held when the packing started (with <see cref="PackWriter"/>), while the
/// worker goes on committing: new commits only add loose files, which this packing neither packs nor
/// deletes. A loose file is deleted only once the pack holding it is complete, so a reader that misses
/// it finds it in the new pack (libgit2 rescans the pack folder on a miss).
/// </summary>
internal sealed class LoosePacking
{
    private readonly string clonePath;
    private readonly IReadOnlyList<ObjectId> objects;

    public LoosePacking(string clonePath, int commits, long looseBytes)
    {
        this.clonePath = clonePath;
        Commits = commits;
        LooseBytes = looseBytes;
        objects = [.. LooseObjectIds(ObjectsFolder(clonePath))];
    }

    /// <summary>The commits made before the packing started: what it packs.</summary>
    public int Commits { get; }

    /// <summary>The loose bytes written before the packing started.</summary>
    public long LooseBytes { get; }

    /// <summary>Writes the pack, then deletes the loose files it holds.</summary>
    public void Run()
    {
        if (objects.Count == 0)
        {
            return;
        }

        var objectsFolder = ObjectsFolder(clonePath);
        PackWriter.WriteLoose(objectsFolder, objects);
        foreach (var id in objects)
        {
            File.Delete(Path.Combine(objectsFolder, id.Sha[..2], id.Sha[2..]));
        }
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
