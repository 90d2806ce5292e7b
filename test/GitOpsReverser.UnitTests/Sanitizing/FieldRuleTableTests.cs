using GitOpsReverser.Sanitizing;

namespace GitOpsReverser.UnitTests.Sanitizing;

public sealed class FieldRuleTableTests
{
    [Test]
    public void All_EveryRule_RemovesSomethingInAGoldenCase()
    {
        var applied = new HashSet<string>();
        var sanitizer = TestSanitizer.Create();
        foreach (var caseName in Testdata.CaseNames())
        {
            foreach (var manifest in Manifest.GoldenObjects(caseName))
            {
                sanitizer.Sanitize(manifest, appliedRules: applied);
            }
        }

        FieldRuleTable.All.Select(rule => rule.Id).Should().BeSubsetOf(applied, "each rule needs a golden case that shows it");
    }

    [Test]
    public void All_RuleIds_AreUniqueAndDocumentedInReadme()
    {
        var page = File.ReadAllText(Path.Combine(Testdata.RepositoryRoot(), "docs", "design", "sanitizer.md"));
        var ids = FieldRuleTable.All.Select(rule => rule.Id).ToList();

        ids.Should().OnlyHaveUniqueItems();
        ids.Where(id => !page.Contains($"`{id}`", StringComparison.Ordinal)).Should().BeEmpty("the sanitizer's page (docs/design/sanitizer.md) lists every rule");
    }

    [Test]
    public void Sanitize_RemoveDefaultsOff_KeepsDefaultsButStillRemovesServerAssignedFields()
    {
        var manifest = Manifest.Golden("deployment-with-managed-fields");

        var result = TestSanitizer.Create(options => options.RemoveDefaults = false).Sanitize(manifest);

        var yaml = CanonicalYaml.Write(result.Manifest!);
        yaml.Should().Contain("progressDeadlineSeconds: 600").And.Contain("terminationMessagePolicy: File");
        yaml.Should().NotContain("creationTimestamp").And.NotContain("managedFields").And.NotContain("status:");
    }

    [TestCase("nginx", "Always", true)]
    [TestCase("nginx:latest", "Always", true)]
    [TestCase("nginx:1.27", "IfNotPresent", true)]
    [TestCase("registry:5000/team/app", "Always", true)]
    [TestCase("registry:5000/team/app:2.0", "IfNotPresent", true)]
    [TestCase("nginx@sha256:abc", "IfNotPresent", true)]
    [TestCase("nginx:1.27", "Always", false)]
    [TestCase("nginx", "IfNotPresent", false)]
    [TestCase("nginx:latest", "Never", false)]
    public void Sanitize_ImagePullPolicy_RemovedOnlyWhenItIsTheTagDefault(string image, string policy, bool removed)
    {
        var yaml = TestSanitizer.SanitizeYaml($"""
            apiVersion: v1
            kind: Pod
            metadata: {"{"}name: p, namespace: default{"}"}
            spec:
              containers:
              - name: c
                image: "{image}"
                imagePullPolicy: {policy}
            """);

        yaml.Contains("imagePullPolicy", StringComparison.Ordinal).Should().Be(!removed);
    }

    [Test]
    public void Sanitize_SameKindFromAnotherGroup_IsNotDedefaulted()
    {
        var yaml = TestSanitizer.SanitizeYaml("""
            apiVersion: example.com/v1
            kind: Deployment
            metadata: {name: d, namespace: default}
            spec:
              replicas: 1
              revisionHistoryLimit: 10
            """);

        yaml.Should().Contain("replicas: 1").And.Contain("revisionHistoryLimit: 10");
    }

    [Test]
    public void Sanitize_MapsEmptyInTheInput_AreKeptWhileMapsEmptiedByRemovalArePruned()
    {
        var yaml = TestSanitizer.SanitizeYaml("""
            apiVersion: apps/v1
            kind: Deployment
            metadata: {name: d, namespace: default}
            spec:
              strategy: {type: RollingUpdate, rollingUpdate: {maxSurge: 25%, maxUnavailable: 25%}}
              template:
                metadata: {creationTimestamp: null}
                spec:
                  containers: [{name: c, image: "nginx:1", resources: {}}]
                  volumes: [{name: scratch, emptyDir: {}}]
            """);

        yaml.Should().Contain("emptyDir: {}");
        yaml.Should().NotContain("strategy").And.NotContain("metadata: {}").And.NotContain("resources");
    }

    [Test]
    public void Sanitize_PartlyDefaultStrategy_IsKeptWhole()
    {
        var yaml = TestSanitizer.SanitizeYaml("""
            apiVersion: apps/v1
            kind: Deployment
            metadata: {name: d, namespace: default}
            spec:
              strategy: {type: RollingUpdate, rollingUpdate: {maxSurge: 1, maxUnavailable: 25%}}
            """);

        yaml.Should().Contain("maxSurge: 1").And.Contain("maxUnavailable: 25%").And.Contain("type: RollingUpdate");
    }
}
