using System.Text;
using GitOpsReverser.Git;
using LibGit2Sharp;

namespace GitOpsReverser.Tests.Git;

/// <summary>Packs written by <see cref="PackWriter"/> (entries from <see cref="CommitPack"/>), checked by git itself (verify-pack, fsck, cat-file).</summary>
[Category("Integration")]
public sealed class PackWriterTests
{
    [Test]
    public void Save_ObjectsOfEveryTypeAndSize_AreReadBackByGit()
    {
        using var temp = new TempDirectory();
        var repository = GitCli.InitBare(temp.Combine("repo.git"));
        var objects = Path.Combine(repository, "objects");

        // Sizes around the entry header's 4-bit and 7-bit boundaries, and one larger than a zlib window.
        var blobs = new[] { 0, 15, 16, 127, 2048, 300_000 }.ToDictionary(
            size => size,
            size => Encoding.ASCII.GetBytes(string.Concat(Enumerable.Range(0, size).Select(i => (char)('a' + (i * 7 % 26))))));
        var blobIds = blobs.ToDictionary(pair => pair.Key, pair => HashObject(temp, repository, pair.Value));
        var tree = new MemoryStream();
        foreach (var (size, id) in blobIds.OrderBy(pair => $"f{pair.Key}", StringComparer.Ordinal))
        {
            tree.Write(Encoding.ASCII.GetBytes($"100644 f{size}\0"));
            tree.Write(id.RawId);
        }

        var treeId = LooseObjects.Write(objects, "tree", tree.ToArray());
        var signature = new Signature("someone", "someone@example.com", new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
        var commitId = LooseObjects.Write(objects, "commit", LooseObjects.CommitBytes(treeId, [], signature, signature, "packed\n"));
        GitCli.Run(repository, "update-ref", "refs/heads/main", commitId.Sha);
        var ids = blobIds.Values.Append(treeId).Append(commitId).ToList();

        string pack;
        using (var reader = new RawObjectReader(repository))
        {
            var contents = CommitPack.ForClone(reader, ids.ToHashSet());
            ids.ForEach(contents.AddObject);
            pack = PackWriter.Save(objects, contents.ToArray(), contents.Index);
        }

        foreach (var id in ids)
        {
            File.Delete(Path.Combine(objects, id.Sha[..2], id.Sha[2..]));
        }

        GitCli.Run(repository, "verify-pack", "-v", pack).Should().Contain($"{commitId.Sha} commit").And.Contain($"{treeId.Sha} tree");
        GitCli.Run(repository, "fsck", "--strict", "--no-dangling");
        GitCli.Run(repository, "count-objects", "-v").Should().Contain("count: 0").And.Contain("in-pack: 8");
        foreach (var (size, content) in blobs)
        {
            GitCli.Show(repository, "main", $"f{size}").Should().Be(Encoding.ASCII.GetString(content));
        }

        using var libgit2 = new Repository(repository);
        libgit2.Lookup<Blob>(blobIds[300_000]).Size.Should().Be(300_000);
    }

    private static ObjectId HashObject(TempDirectory temp, string repository, byte[] content)
    {
        var file = temp.Combine(Guid.NewGuid().ToString("N"));
        File.WriteAllBytes(file, content);
        return new ObjectId(GitCli.Run(repository, "hash-object", "-w", file).Trim());
    }
}
