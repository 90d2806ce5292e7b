using System.Text;
using GitOpsReverser.Git.Clone;
using LibGit2Sharp;

namespace GitOpsReverser.IntegrationTests.Git;

/// <summary><see cref="ClonePack"/>: libgit2's pack builder packing a clone while it goes on committing, checked by git.</summary>
[Category("Integration")]
public sealed class ClonePackTests
{
    [Test]
    public async Task Pack_WhileCommitsGoOn_PacksTheLooseObjects_AndTheCloneReadsAndCommitsOn()
    {
        using var temp = new TempDirectory();
        var path = temp.Combine("clone");
        using var clone = LocalClone.Open(path, temp.Combine("remote.git"), "main");
        for (var i = 0; i < 200; i++)
        {
            Commit(clone, i);
        }

        var packing = clone.StartPacking();
        var run = Task.Run(packing.Run);
        var next = 200;
        while (!run.IsCompleted || next < 210)
        {
            Commit(clone, next++);
        }

        await run;
        clone.FinishPacking(packing);
        clone.CommitsSinceCompaction.Should().Be(next - 200);
        Commit(clone, next++);

        Directory.GetFiles(Path.Combine(path, "objects", "pack"), "*.pack").Should().ContainSingle();
        GitCli.Run(path, "fsck", "--strict", "--no-dangling");
        GitCli.Run(path, "rev-list", "--count", "main").Trim().Should().Be($"{next}");
        GitCli.Run(path, "config", "pack.windowMemory").Trim().Should().Be(LocalClone.PackWindowMemory, "pushes and packings bound their delta search");
        GitCli.Show(path, "main", $"namespaces/ns-{(next - 1) % 3}/ConfigMap/cm-{(next - 1) % 5}.yaml").Should().Be($"{next - 1}\n");
        GitCli.Show(path, $"main~{next - 6}", "namespaces/ns-2/ConfigMap/cm-0.yaml").Should().Be("5\n", "commit 5, packed, reads as written");
    }

    [Test]
    public void Pack_AtTheMaximumNumberOfPacks_RewritesEveryObjectIntoOnePack_WithDeltas()
    {
        using var temp = new TempDirectory();
        var path = temp.Combine("clone");
        using var clone = LocalClone.Open(path, temp.Combine("remote.git"), "main");
        var packs = Path.Combine(path, "objects", "pack");
        var commits = 0;
        for (var pack = 0; pack < LocalClone.MaximumPacks; pack++)
        {
            for (var i = 0; i < 10; i++)
            {
                Commit(clone, commits++, padding: 400);
            }

            Pack(clone).Full.Should().BeFalse();
        }

        Directory.GetFiles(packs, "*.pack").Should().HaveCount(LocalClone.MaximumPacks);

        Commit(clone, commits++, padding: 400);
        Pack(clone).Full.Should().BeTrue();

        Directory.GetFiles(packs, "*.pack").Should().ContainSingle();
        Directory.GetFiles(packs, "*.idx").Should().ContainSingle();
        GitCli.Run(path, "count-objects", "-v").Should().Contain("count: 0");
        GitCli.Run(path, "fsck", "--strict", "--no-dangling");
        GitCli.Run(path, "rev-list", "--count", "main").Trim().Should().Be($"{commits}");
        var verified = GitCli.Run(path, "verify-pack", "-v", Directory.GetFiles(packs, "*.pack").Single());
        verified.Should().Contain("chain length = 1", "versions of one file and of its folders are stored as deltas");
    }

    private static ClonePack Pack(LocalClone clone)
    {
        var packing = clone.StartPacking();
        packing.Run();
        clone.FinishPacking(packing);
        return packing;
    }

    private static void Commit(LocalClone clone, int i, int padding = 0)
    {
        var content = $"{new string('x', padding)}{(padding > 0 ? "\n" : "")}{i}\n";
        clone.Tree.Set($"namespaces/ns-{i % 3}/ConfigMap/cm-{i % 5}.yaml", clone.WriteBlob(Encoding.UTF8.GetBytes(content)));
        var signature = new Signature("someone", "someone@example.com", DateTimeOffset.UtcNow);
        clone.Commit($"change {i}", signature, signature);
    }
}
