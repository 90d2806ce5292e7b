using GitOpsReverser.Git;

namespace GitOpsReverser.Tests.Git;

public sealed class LibGit2SettingsTests
{
    [Test]
    public void EnsureApplied_SetsTheObjectCacheLimitInLibGit2()
    {
        LibGit2Settings.EnsureApplied().Should().BeTrue("the native options are found in the library LibGit2Sharp loaded");

        LibGit2Settings.CacheLimit().Should().Be(LibGit2Settings.CacheMaxSize, "libgit2's default is 256 MiB");
    }

    [Test]
    public void EnsureApplied_ReadsNoLongerRehashObjects()
    {
        using var temp = new TempDirectory();
        var repository = GitCli.InitBare(temp.Combine("repo.git"));
        var objects = Path.Combine(repository, "objects");
        var real = LooseObjects.Write(objects, "blob", "the real content\n"u8);
        var claimed = new LibGit2Sharp.ObjectId(new string('a', 40));
        Directory.CreateDirectory(Path.Combine(objects, "aa"));
        File.Copy(Path.Combine(objects, real.Sha[..2], real.Sha[2..]), Path.Combine(objects, "aa", claimed.Sha[2..]));
        LibGit2Settings.EnsureApplied().Should().BeTrue();

        using var reader = new RawObjectReader(repository);

        // With libgit2's default this read fails with "object hash mismatch"; git's own reads do not check either.
        reader.Get(claimed).Content.Should().Equal("the real content\n"u8.ToArray());
    }
}
