using System.Text.RegularExpressions;

namespace GitOpsReverser.UnitTests;

/// <summary>The operator's source tree reads by pipeline stage: each folder (and sub-folder) is a namespace, no two folders depend on each other in a cycle, and libgit2 stays in Git/.</summary>
public sealed partial class SourceTreeTests
{
    private static readonly string Source = Path.Combine(Kubectl.RepositoryRoot, "src", "GitOpsReverser");

    private static IEnumerable<string> Folders() =>
        Directory.GetDirectories(Source).Select(Path.GetFileName).OfType<string>().Where(name => name is not ("bin" or "obj"));

    [Test]
    public void EveryFile_IsInTheNamespaceOfItsFolder()
    {
        foreach (var folder in Folders())
        {
            foreach (var file in Directory.GetFiles(Path.Combine(Source, folder), "*.cs", SearchOption.AllDirectories))
            {
                var relative = Path.GetRelativePath(Source, Path.GetDirectoryName(file)!).Replace(Path.DirectorySeparatorChar, '.');
                File.ReadAllText(file).Should().Contain($"namespace GitOpsReverser.{relative};", Path.GetRelativePath(Source, file));
            }
        }
    }

    [Test]
    public void NoSourceFile_IsOver300Lines()
    {
        var src = Path.Combine(Kubectl.RepositoryRoot, "src");
        var files = Directory.GetFiles(src, "*.cs", SearchOption.AllDirectories)
            .Where(file => !file.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                && !file.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .ToList();
        files.Should().HaveCountGreaterThan(100);
        files.Select(file => (File: Path.GetRelativePath(src, file), Lines: File.ReadAllLines(file).Length))
            .Where(file => file.Lines > 300)
            .Should().BeEmpty("a file over 300 lines holds more than one concern: cut it by concern");
    }

    [Test]
    public void OnlyGit_KnowsLibGit2Sharp()
    {
        foreach (var folder in Folders().Where(folder => folder != "Git"))
        {
            foreach (var file in Directory.GetFiles(Path.Combine(Source, folder), "*.cs", SearchOption.AllDirectories))
            {
                File.ReadAllText(file).Should().NotContain("LibGit2Sharp", $"{folder}/{Path.GetFileName(file)} is above the Git stage, which keeps libgit2 to itself");
            }
        }
    }

    [Test]
    public void NoFolder_DependsOnItselfThroughOthers()
    {
        var folders = Folders().ToHashSet();
        var edges = folders.ToDictionary(folder => folder, folder => Directory.GetFiles(Path.Combine(Source, folder), "*.cs")
            .SelectMany(file => Reference().Matches(File.ReadAllText(file)).Select(match => match.Groups[1].Value))
            .Where(other => folders.Contains(other) && other != folder)
            .ToHashSet());
        edges.Should().ContainKeys("Kube", "Specs", "Control", "Capture", "Git", "Hosting", "Attribution");

        foreach (var start in folders)
        {
            var seen = new HashSet<string>();
            var queue = new Queue<string>(edges[start]);
            while (queue.TryDequeue(out var next))
            {
                next.Should().NotBe(start, $"{start} must not depend on itself through {string.Join(", ", seen)}");
                if (seen.Add(next))
                {
                    foreach (var further in edges[next])
                    {
                        queue.Enqueue(further);
                    }
                }
            }
        }

        edges["Kube"].Should().BeEmpty("the Kubernetes client stage depends on no other stage");
        edges["Git"].Should().NotContain(["Capture", "Control", "Specs", "Hosting"], "the Git pipeline knows nothing of rules or custom resources");
        edges["Attribution"].Should().NotContain(["Capture", "Control", "Hosting", "Cli"], "attribution is one slice the capture and the control loop use");
        edges["Notifications"].Should().NotContain(["Capture", "Control", "Hosting", "Cli", "Specs", "Restore"], "notifications read pushed commits and post them, knowing nothing of rules");
        edges["Restore"].Should().NotContain(["Capture", "Control", "Hosting", "Cli", "Attribution"], "a restore reads Git and writes through the API server, apart from the operator");
    }

    // "using GitOpsReverser.X;" and qualified uses such as "Kube.TlsTrust" inside the operator's namespaces.
    [GeneratedRegex(@"(?:GitOpsReverser\.|\b)(Kube|Specs|Control|Capture|Git|Hosting|Cli|Manifests|Sanitizing|Encryption|Attribution|Restore|Notifications)\.[A-Z]")]
    private static partial Regex Reference();
}
