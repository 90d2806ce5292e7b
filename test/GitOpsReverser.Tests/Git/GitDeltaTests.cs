using GitOpsReverser.Git;

namespace GitOpsReverser.Tests.Git;

public sealed class GitDeltaTests
{
    [Test]
    public void Create_OneObjectIdPatchedInATree_IsAFewBytesAndRebuildsTheTarget()
    {
        var source = Bytes(4500, seed: 1);
        var target = (byte[])source.Clone();
        Bytes(20, seed: 2).CopyTo(target, 2000);

        var delta = GitDelta.Create(source, target);

        delta.Should().NotBeNull();
        delta!.Length.Should().BeLessThan(40);
        GitDelta.Apply(source, delta).Should().Equal(target);
    }

    [TestCase(0, 300)]
    [TestCase(1000, 300)]
    [TestCase(4000, 300)]
    [TestCase(4500, 300)]
    public void Create_BytesInsertedOrRemoved_RebuildsTheTarget(int at, int length)
    {
        var source = Bytes(4500, seed: 3);
        var inserted = source[..at].Concat(Bytes(length, seed: 4)).Concat(source[at..]).ToArray();
        var removed = source[..Math.Max(0, at - length)].Concat(source[at..]).ToArray();

        GitDelta.Apply(source, GitDelta.Create(source, inserted)!).Should().Equal(inserted);
        GitDelta.Apply(source, GitDelta.Create(source, removed)!).Should().Equal(removed);
    }

    [Test]
    public void Create_CopiesOfSizesAroundTheEncodingsLimits_RebuildTheTarget()
    {
        // 0x10000 is the size a copy instruction gives when it carries no size byte; 0xFFFFFF the most one can carry.
        foreach (var size in new[] { 0xFFFF, 0x10000, 0x10001, 0xFFFFFF, 0x1000000 + 5 })
        {
            var source = Bytes(size + 10, seed: size);
            var target = (byte[])source.Clone();
            target[size] ^= 0xFF;

            GitDelta.Apply(source, GitDelta.Create(source, target)!).Should().Equal(target, $"a common beginning of {size} bytes");
        }
    }

    [Test]
    public void Create_UnrelatedContent_IsNull()
    {
        GitDelta.Create(Bytes(1000, seed: 5), Bytes(1000, seed: 6)).Should().BeNull();
        GitDelta.Create(Bytes(1000, seed: 5), []).Should().BeNull();
    }

    private static byte[] Bytes(int length, int seed)
    {
        var bytes = new byte[length];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }
}
