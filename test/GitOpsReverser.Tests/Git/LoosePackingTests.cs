using System.Text;
using GitOpsReverser.Git;
using LibGit2Sharp;

namespace GitOpsReverser.Tests.Git;

[Category("Integration")]
public sealed class LoosePackingTests
{
    [Test]
    public void Pack_CommitsMadeAfterTheListing_StayLoose_AndTheCloneReadsOn()
    {
        using var temp = new TempDirectory();
        var path = temp.Combine("clone");
        using var clone = LocalClone.Open(path, temp.Combine("remote.git"), "main");
        void Commit(int i)
        {
            clone.Tree.Set($"namespaces/ns-{i % 3}/ConfigMap/cm-{i % 5}.yaml", clone.WriteBlob(Encoding.UTF8.GetBytes($"{i}\n")));
            var signature = new Signature("someone", "someone@example.com", DateTimeOffset.UtcNow);
            clone.Commit($"change {i}", signature, signature);
        }

        string LooseFile(ObjectId id) => Path.Combine(path, "objects", id.Sha[..2], id.Sha[2..]);
        for (var i = 0; i < 10; i++)
        {
            Commit(i);
        }

        var packedHead = clone.Head!.Id;
        var packing = clone.StartLoosePacking();
        var listed = packing.List();
        for (var i = 10; i < 15; i++)
        {
            Commit(i);
        }

        packing.Pack(listed);

        File.Exists(LooseFile(packedHead)).Should().BeFalse("the commits before the listing are in the pack now");
        File.Exists(LooseFile(clone.Head!.Id)).Should().BeTrue("a commit made after the listing is not packed, so it stays");
        clone.FinishLoosePacking(packing);
        clone.CommitsSinceCompaction.Should().Be(5);
        Commit(15);
        GitCli.Run(path, "fsck", "--strict", "--no-dangling");
        GitCli.Run(path, "rev-list", "--count", "main").Trim().Should().Be("16");
        GitCli.Show(path, "main", "namespaces/ns-0/ConfigMap/cm-0.yaml").Should().Be("15\n");
    }
}
