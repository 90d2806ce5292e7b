using GitOpsReverser.Cli;
using GitOpsReverser.Git.Layout;

namespace GitOpsReverser.UnitTests.Sanitizing;

/// <summary>
/// testdata/&lt;case&gt;/input.* sanitized must print exactly expected.yaml (what <c>gitops-reverser sanitize</c>
/// shows: path line and canonical YAML). Regenerate with UPDATE_GOLDEN=1 and review the diff.
/// </summary>
public sealed class SanitizerGoldenTests
{
    [TestCase("api-server-defaults")]
    [TestCase("clusterrole-system")]
    [TestCase("configmap-tricky-scalars")]
    [TestCase("crd-instance")]
    [TestCase("cronjob")]
    [TestCase("daemonset")]
    [TestCase("deployment-with-managed-fields")]
    [TestCase("hpa")]
    [TestCase("ingress")]
    [TestCase("job")]
    [TestCase("list")]
    [TestCase("namespace")]
    [TestCase("pod")]
    [TestCase("pv")]
    [TestCase("pvc")]
    [TestCase("replicaset")]
    [TestCase("secret-data-and-string-data")]
    [TestCase("service-cluster-ip")]
    [TestCase("service-headless")]
    [TestCase("service-load-balancer")]
    [TestCase("service-node-port")]
    [TestCase("statefulset")]
    public void Sanitize_GoldenCase_PrintsExpectedYaml(string caseName)
    {
        var actual = Render(caseName, out var errors);

        if (Testdata.UpdateGolden)
        {
            File.WriteAllText(Path.Combine(Testdata.SourceCaseDirectory(caseName), "expected.yaml"), actual);
        }

        errors.Should().NotContain("error:", "every golden input is a valid object");
        actual.Should().Be(File.ReadAllText(Path.Combine(Testdata.CaseDirectory(caseName), "expected.yaml")));
    }

    [Test]
    public void GoldenCases_EveryTestdataFolder_HasATestCase()
    {
        var listed = typeof(SanitizerGoldenTests).GetMethod(nameof(Sanitize_GoldenCase_PrintsExpectedYaml))!
            .GetCustomAttributes(typeof(TestCaseAttribute), inherit: false)
            .Cast<TestCaseAttribute>()
            .Select(testCase => (string)testCase.Arguments[0]!);

        listed.Should().BeEquivalentTo(Testdata.CaseNames());
    }

    internal static string Render(string caseName, out string errors)
    {
        var output = new StringWriter { NewLine = "\n" };
        var errorOutput = new StringWriter { NewLine = "\n" };
        new SanitizePreview(TestSanitizer.Create(), new RepositoryLayout()).Write(File.ReadAllText(Testdata.InputPath(caseName)), output, errorOutput);
        errors = errorOutput.ToString();
        return output.ToString();
    }
}
