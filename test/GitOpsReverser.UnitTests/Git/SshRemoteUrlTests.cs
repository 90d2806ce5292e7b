using GitOpsReverser.Git.Transport;
namespace GitOpsReverser.UnitTests.Git;

public sealed class SshRemoteUrlTests
{
    [TestCase("git@github.com:org/repo.git", "ssh://git@github.com/~/org/repo.git", "org/repo.git")]
    [TestCase("git@host:/srv/git/repo.git", "ssh://git@host/srv/git/repo.git", "/srv/git/repo.git")]
    [TestCase("ssh://git@host:2222/srv/repo.git", "ssh://git@host:2222/srv/repo.git", "/srv/repo.git")]
    public void ScpLikeUrls_BecomeSshUrls_AndKeepTheirPath(string url, string normalized, string remotePath)
    {
        SshRemoteUrl.IsSsh(url).Should().BeTrue();
        SshRemoteUrl.Normalize(url).Should().Be(normalized);
        SshRemoteUrl.RemotePath(new Uri(normalized)).Should().Be(remotePath);
    }

    [TestCase("https://github.com/org/repo.git")]
    [TestCase("/srv/git/repo.git")]
    [TestCase("file:///srv/git/repo.git")]
    [TestCase("C:\\repos\\repo.git")]
    public void OtherUrls_AreNotSsh(string url) => SshRemoteUrl.IsSsh(url).Should().BeFalse();

    [Test]
    public void KnownHosts_MatchHostPortAndKey()
    {
        var key = new byte[] { 1, 2, 3, 4 };
        var known = new KnownHosts($"# comment\ngithub.com,140.82.112.3 ssh-ed25519 {Convert.ToBase64String(key)}\n[127.0.0.1]:2222 ssh-ed25519 {Convert.ToBase64String(key)} me@host\n");

        known.Trusts("github.com", 22, key).Should().BeTrue();
        known.Trusts("140.82.112.3", 22, key).Should().BeTrue();
        known.Trusts("127.0.0.1", 2222, key).Should().BeTrue();
        known.Trusts("127.0.0.1", 22, key).Should().BeFalse();
        known.Trusts("github.com", 22, [9, 9]).Should().BeFalse();
        known.Count.Should().Be(2);
    }
}
