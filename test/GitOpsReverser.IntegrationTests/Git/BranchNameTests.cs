using GitOpsReverser.Git.Layout;
namespace GitOpsReverser.IntegrationTests.Git;

/// <summary><see cref="BranchName"/> against git itself: whatever it refuses, <c>git check-ref-format --branch</c> refuses too.</summary>
[Category("Integration")]
public sealed class BranchNameTests
{
    [TestCase("main")]
    [TestCase("audit/cluster-1")]
    [TestCase("release-1.2")]
    [TestCase("a..b")]
    [TestCase("a@{b")]
    [TestCase("a//b")]
    [TestCase("/main")]
    [TestCase("main/")]
    [TestCase("main.")]
    [TestCase(".hidden")]
    [TestCase("x/.hidden")]
    [TestCase("x.lock")]
    [TestCase("x.lock/y")]
    [TestCase("a b")]
    [TestCase("a~b")]
    [TestCase("a^b")]
    [TestCase("a:b")]
    [TestCase("a?b")]
    [TestCase("a*b")]
    [TestCase("a[b")]
    [TestCase("a\\b")]
    [TestCase("a\tb")]
    [TestCase("@")]
    [TestCase("-x")]
    [TestCase("HEAD")]
    public void Problem_AgreesWithGit(string branch)
    {
        var gitAccepts = GitCli.Accepts("check-ref-format", "--branch", branch);

        (BranchName.Problem(branch) is null).Should().Be(gitAccepts, $"git {(gitAccepts ? "accepts" : "refuses")} \"{branch}\"");
    }

    [Test]
    public void Problem_APartOver255Bytes_IsRefused() =>
        BranchName.Problem("audit/" + new string('a', 256)).Should().Be("has a part over 255 bytes");
}
