using System.Text.RegularExpressions;

namespace GitOpsReverser.Tests;

/// <summary>The operator's source tree reads by pipeline stage: each folder is a namespace, and no two folders depend on each other in a cycle.</summary>
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
            foreach (var file in Directory.GetFiles(Path.Combine(Source, folder), "*.cs"))
            {
                File.ReadAllText(file).Should().Contain($"namespace GitOpsReverser.{folder};", Path.GetFileName(file));
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
        edges.Should().ContainKeys("Kube", "Api", "Control", "Capture", "Git", "Hosting");

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
        edges["Git"].Should().NotContain(["Capture", "Control", "Api", "Hosting"], "the Git pipeline knows nothing of rules or custom resources");
    }

    // "using GitOpsReverser.X;" and qualified uses such as "Kube.TlsTrust" inside the operator's namespaces.
    [GeneratedRegex(@"(?:GitOpsReverser\.|\b)(Kube|Api|Control|Capture|Git|Hosting|Cli|Manifests|Sanitizing|Encryption)\.[A-Z]")]
    private static partial Regex Reference();
}
