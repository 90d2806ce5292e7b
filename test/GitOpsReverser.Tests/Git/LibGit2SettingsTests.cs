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
    public void Open_SetsTheDeltaWindowMemoryOfTheClone()
    {
        using var temp = new TempDirectory();
        using var clone = LocalClone.Open(temp.Combine("clone"), temp.Combine("remote.git"), "main");

        GitCli.Run(temp.Combine("clone"), "config", "pack.windowMemory").Trim().Should().Be(LocalClone.WindowMemory);
    }
}
