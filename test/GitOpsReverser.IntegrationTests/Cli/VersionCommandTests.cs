using System.Xml.Linq;
using GitOpsReverser.IntegrationTests.TestSupport;

namespace GitOpsReverser.IntegrationTests.Cli;

/// <summary><c>gitops-reverser version</c>, the real binary run as a process.</summary>
[Category("Integration")]
public sealed class VersionCommandTests
{
    [Test]
    public async Task Version_PrintsTheVersionOfDirectoryBuildProps_AndTheCommitItWasBuiltFrom()
    {
        var props = XDocument.Load(Path.Combine(Kubectl.RepositoryRoot, "Directory.Build.props"));
        var version = props.Descendants("Version").Single().Value;

        var (exitCode, stdout, stderr) = await CliProcess.RunAsync("version");

        exitCode.Should().Be(0, stderr);
        var lines = stdout.TrimEnd('\n').Split('\n');
        lines.Should().HaveCount(2);
        lines[0].Should().Be($"gitops-reverser {version}");
        lines[1].Should().MatchRegex("^commit [0-9a-f]{40}$", "the build reads the commit from Git");
        if (Environment.GetEnvironmentVariable("CI") == "true")
        {
            // CI builds the clone it tests: the commit is its HEAD.
            lines[1].Should().Be($"commit {GitCli.Run(Kubectl.RepositoryRoot, "rev-parse", "HEAD").Trim()}");
        }
    }
}
