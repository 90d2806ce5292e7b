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

    [Test]
    public void Pack_ManyVersionsOfOneFile_AreDeltasInChainsOfAtMostTheMaximumDepth()
    {
        using var temp = new TempDirectory();
        var path = temp.Combine("clone");
        using var clone = LocalClone.Open(path, temp.Combine("remote.git"), "main");
        for (var i = 0; i < 20; i++)
        {
            clone.Tree.Set($"namespaces/ns/ConfigMap/other-{i}.yaml", clone.WriteBlob(Encoding.UTF8.GetBytes($"other {i}\n")));
        }

        var versions = 3 * CommitPack.MaximumDepth;
        for (var i = 0; i < versions; i++)
        {
            clone.Tree.Set("namespaces/ns/ConfigMap/cm.yaml", clone.WriteBlob(Encoding.UTF8.GetBytes($"{new string('x', 300)}\nversion: {i}\n")));
            var signature = new Signature("someone", "someone@example.com", DateTimeOffset.UtcNow);
            clone.Commit($"version {i}", signature, signature);
        }

        var packing = clone.StartLoosePacking();
        packing.Run();
        clone.FinishLoosePacking(packing);

        GitCli.Run(path, "count-objects", "-v").Should().Contain("count: 0");
        var pack = Directory.GetFiles(Path.Combine(path, "objects", "pack"), "*.pack").Single();
        var verified = GitCli.Run(path, "verify-pack", "-v", pack);
        var chains = System.Text.RegularExpressions.Regex.Matches(verified, @"chain length = (\d+): (\d+) objects?")
            .ToDictionary(match => int.Parse(match.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture),
                match => int.Parse(match.Groups[2].Value, System.Globalization.CultureInfo.InvariantCulture));
        chains.Keys.Should().NotBeEmpty("the versions of the file and of its folders are deltas").And.OnlyContain(length => length <= CommitPack.MaximumDepth);
        chains.Values.Sum().Should().BeGreaterThan(2 * (versions - 6), "nearly every version of the file and of its folder of 21 files is a delta");
        GitCli.Run(path, "fsck", "--strict", "--no-dangling");
        for (var back = 0; back < versions; back += 37)
        {
            GitCli.Show(path, $"main~{back}", "namespaces/ns/ConfigMap/cm.yaml").Should().EndWith($"version: {versions - 1 - back}\n");
        }
    }
}
