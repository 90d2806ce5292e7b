using GitOpsReverser.Git;

namespace GitOpsReverser.Tests.Git;

public sealed class RemoteUrlTests
{
    [TestCase("https://x-access-token:ghp_secret@github.com/org/repo.git", "https://***@github.com/org/repo.git")]
    [TestCase("https://ghp_secret@github.com/org/repo.git", "https://***@github.com/org/repo.git")]
    [TestCase("http://user:pass@127.0.0.1:8080/repo.git", "http://***@127.0.0.1:8080/repo.git")]
    [TestCase("https://github.com/org/repo.git", "https://github.com/org/repo.git")]
    [TestCase("ssh://git@github.com/org/repo.git", "ssh://git@github.com/org/repo.git")]
    [TestCase("git@github.com:org/repo.git", "git@github.com:org/repo.git")]
    [TestCase("/var/repos/audit.git", "/var/repos/audit.git")]
    public void Redact_HidesTheUserInfoOfHttpUrlsOnly(string url, string shown) => RemoteUrl.Redact(url).Should().Be(shown);

    [Test]
    public void GitRemoteException_NeverCarriesATokenFromTheUrl()
    {
        var failure = new GitRemoteException(GitFailureKind.Authentication, "push", "https://oauth2:glpat-secret@gitlab.example.com/team/audit.git", "401");

        failure.Message.Should().NotContain("glpat-secret");
        failure.Url.Should().NotContain("glpat-secret");
    }
}
