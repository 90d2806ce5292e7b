using GitOpsReverser.Git.Transport;
namespace GitOpsReverser.UnitTests.Git;

public sealed class RemoteUrlTests
{
    [TestCase("https://x-access-token:ghp_secret@github.com/org/repo.git", "https://***@github.com/org/repo.git")]
    [TestCase("https://ghp_secret@github.com/org/repo.git", "https://***@github.com/org/repo.git")]
    [TestCase("http://user:pass@127.0.0.1:8080/repo.git", "http://***@127.0.0.1:8080/repo.git")]
    [TestCase("https://user:p@ss@word@git.example.com/repo.git", "https://***@git.example.com/repo.git")]
    [TestCase("https://user:pa/ss@git.example.com/repo.git", "https://***@git.example.com/repo.git")]
    [TestCase("https://git.example.com/repo.git?access_token=ghp_secret", "https://git.example.com/repo.git?***")]
    [TestCase("https://git.example.com/repo.git#ghp_secret", "https://git.example.com/repo.git#***")]
    [TestCase("https://github.com/org/repo.git", "https://github.com/org/repo.git")]
    [TestCase("https://github.com/org/repo@v1.git", "https://github.com/org/repo@v1.git")]
    [TestCase("https://[::1]:8443/repo.git", "https://[::1]:8443/repo.git")]
    [TestCase("ssh://git@github.com/org/repo.git", "ssh://git@github.com/org/repo.git")]
    [TestCase("ssh://git:secret@github.com:2222/org/repo.git", "ssh://git:***@github.com:2222/org/repo.git")]
    [TestCase("ssh://git:se@cret@github.com/org/repo.git", "ssh://git:***@github.com/org/repo.git")]
    [TestCase("git@github.com:org/repo.git", "git@github.com:org/repo.git")]
    [TestCase("git:secret@github.com:org/repo.git", "git:***@github.com:org/repo.git")]
    [TestCase("/var/repos/audit.git", "/var/repos/audit.git")]
    [TestCase("https://", "https://")]
    [TestCase("", "")]
    public void Redact_MasksEveryCredential_InEveryForm(string url, string shown) => RemoteUrl.Redact(url).Should().Be(shown);

    [TestCase("https://x-access-token:ghp_secret@github.com/org/repo.git", true)]
    [TestCase("https://ghp_secret@github.com/org/repo.git", true)]
    [TestCase("https://git.example.com/repo.git?access_token=ghp_secret", true)]
    [TestCase("https://user:pa/ss@git.example.com/repo.git", true)]
    [TestCase("ssh://git:secret@github.com/org/repo.git", true)]
    [TestCase("git:secret@github.com:org/repo.git", true)]
    [TestCase("https://github.com/org/repo.git", false)]
    [TestCase("https://github.com/org/repo@v1.git", false)]
    [TestCase("ssh://git@github.com:2222/org/repo.git", false)]
    [TestCase("git@github.com:org/repo.git", false)]
    [TestCase("/var/repos/audit.git", false)]
    public void CredentialProblem_FindsCredentials_AndOnlyThem(string url, bool refused) =>
        (RemoteUrl.CredentialProblem(url) is not null).Should().Be(refused);

    [Test]
    public void GitRemoteException_NeverCarriesATokenFromTheUrl()
    {
        var failure = new GitRemoteException(GitFailureKind.Authentication, "push", "https://oauth2:glpat-secret@gitlab.example.com/team/audit.git", "401");

        failure.Message.Should().NotContain("glpat-secret");
        failure.Url.Should().NotContain("glpat-secret");
    }
}
