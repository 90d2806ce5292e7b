using System.Text.Json;
using System.Xml.Linq;
using GitOpsReverser.Api.V1Alpha1;
using GitOpsReverser.CrdGen;

namespace GitOpsReverser.UnitTests.Api;

/// <summary>The typed API is the one source of the CRDs and of the reference pages' field tables, and depends on nothing of ours.</summary>
public sealed class GeneratedFilesTests
{
    [Test]
    public void CommittedCrdsAndTables_AreWhatTheTypesGenerate()
    {
        var generated = GeneratedFiles.For(Kubectl.RepositoryRoot);

        generated.Keys.Should().Contain([Path.Combine("deploy", "crds", "configbutler.ai_gitrepoconfigs.yaml"),
            Path.Combine("docs", "spec", "v1alpha1", "gitrepoconfig.md"), Path.Combine("docs", "spec", "v1alpha1", "clusterwatchrule.md")]);
        foreach (var (path, content) in generated)
        {
            File.ReadAllText(Path.Combine(Kubectl.RepositoryRoot, path)).Should().Be(content, $"{path} is generated from src/GitOpsReverser.Api: run ./build.sh --target=Crds");
        }
    }

    [Test]
    public void TheApi_ReferencesNoProjectOfOurs()
    {
        var project = XDocument.Load(Path.Combine(Kubectl.RepositoryRoot, "src", "GitOpsReverser.Api", "GitOpsReverser.Api.csproj"));

        project.Descendants().Where(element => element.Name.LocalName is "ProjectReference" or "PackageReference").Should().BeEmpty();
        typeof(GitRepoConfig).Assembly.GetReferencedAssemblies().Select(name => name.Name).Should().NotContain(name => name!.StartsWith("GitOpsReverser", StringComparison.Ordinal)
            || name == "gitops-reverser");
    }

    [Test]
    public void TheCrdSchema_HoldsWhatTheTypesSay()
    {
        var crd = CrdBuilder.Build(typeof(GitRepoConfig));
        var spec = crd["spec"]!["versions"]![0]!["schema"]!["openAPIV3Schema"]!["properties"]!["spec"]!;

        spec["required"]!.AsArray().Select(name => (string?)name).Should().Equal("url");
        ((string?)spec["properties"]!["branch"]!["default"]).Should().Be("main");
        ((long?)spec["properties"]!["push"]!["properties"]!["maxCommits"]!["maximum"]).Should().Be(10_000);
        spec["properties"]!["commit"]!["properties"]!["mode"]!["enum"]!.AsArray().Select(mode => (string?)mode).Should().Equal("PerChange", "Window");
        spec["x-kubernetes-validations"]![0]!["fieldPath"]!.GetValue<string>().Should().Be(".secretPolicy");
        crd.ToJsonString().Should().NotContain("$ref").And.NotContain("\"null\"", "a CRD schema has no references and no null type");
    }

    [Test]
    public void AResource_RoundTripsThroughItsType()
    {
        const string json = """
            {"apiVersion":"configbutler.ai/v1alpha1","kind":"WatchRule","metadata":{"name":"r","namespace":"ns","generation":2},
             "spec":{"gitRepoConfigRef":"audit","resources":[{"apiVersion":"v1","kind":"ConfigMap"}],
                     "namespaceSelector":{"matchExpressions":[{"key":"env","operator":"In","values":["prod"]}]},"operations":["CREATE","DELETE"],
                     "include":["helmReleases"]}}
            """;

        var rule = JsonSerializer.Deserialize<WatchRule>(json, ApiGroup.JsonOptions)!;

        rule.Spec!.Operations.Should().Equal(Operation.Create, Operation.Delete);
        rule.Spec.Include.Should().Equal(NoiseCategory.HelmReleases);
        rule.Spec.NamespaceSelector!.MatchExpressions![0].Operator.Should().Be(SelectorOperator.In);
        JsonSerializer.Serialize(rule, ApiGroup.JsonOptions).Should().Be(System.Text.Json.Nodes.JsonNode.Parse(json)!.ToJsonString());
    }
}
