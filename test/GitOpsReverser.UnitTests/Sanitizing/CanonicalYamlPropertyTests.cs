using GitOpsReverser.Manifests;
using GitOpsReverser.Sanitizing;
using GitOpsReverser.UnitTests.TestSupport;

namespace GitOpsReverser.UnitTests.Sanitizing;

/// <summary>Over generated objects: same bytes whatever the input form; output reads back exactly; sanitizing twice changes nothing.</summary>
public sealed class CanonicalYamlPropertyTests
{
    private const int Objects = 400;

    [Test]
    public void Write_JsonAndYamlFormsWithShuffledKeys_GiveByteIdenticalOutput()
    {
        var generator = new RandomManifests(seed: 1);
        var random = new Random(2);
        var sanitizer = TestSanitizer.Create();
        for (var i = 0; i < Objects; i++)
        {
            var original = generator.NextObject();
            var fromJson = JsonManifestReader.Read(System.Text.Encoding.UTF8.GetBytes(ManifestWriters.Json(original, random)));
            var styledYaml = ManifestWriters.StyledYaml(original, random);
            var fromYaml = YamlManifestReader.ReadDocuments(styledYaml).Single();

            var jsonOutput = CanonicalYaml.Write(sanitizer.Sanitize((MappingNode)fromJson).Manifest!);
            var yamlOutput = CanonicalYaml.Write(sanitizer.Sanitize((MappingNode)fromYaml).Manifest!);

            yamlOutput.Should().Be(jsonOutput, $"object {i} written as YAML:\n{styledYaml}");
        }
    }

    [Test]
    public void Write_Output_ReadsBackAsExactlyTheSanitizedObject()
    {
        var generator = new RandomManifests(seed: 3);
        var sanitizer = TestSanitizer.Create();
        for (var i = 0; i < Objects; i++)
        {
            var sanitized = sanitizer.Sanitize(generator.NextObject()).Manifest!;
            var yaml = CanonicalYaml.Write(sanitized);

            var readBack = YamlManifestReader.ReadDocuments(yaml).Single();

            readBack.DeepEquals(sanitized).Should().BeTrue($"object {i} must read back unchanged:\n{yaml}");
        }
    }

    [Test]
    public void Sanitize_AppliedToItsOwnOutput_ChangesNothing()
    {
        var generator = new RandomManifests(seed: 4);
        var sanitizer = TestSanitizer.Create();
        var inputs = Enumerable.Range(0, Objects).Select(_ => generator.NextObject())
            .Concat(Testdata.CaseNames().SelectMany(Manifest.GoldenObjects));
        foreach (var input in inputs)
        {
            var first = sanitizer.Sanitize(input);
            if (first.IsSkipped)
            {
                continue;
            }

            var once = CanonicalYaml.Write(first.Manifest!);
            var twice = CanonicalYaml.Write(sanitizer.Sanitize((MappingNode)YamlManifestReader.ReadDocuments(once).Single()).Manifest!);

            twice.Should().Be(once);
        }
    }

    [Test]
    public void Write_Output_IsUtf8TextWithLfLineEndsAndOneTrailingNewline()
    {
        var generator = new RandomManifests(seed: 5);
        for (var i = 0; i < Objects; i++)
        {
            var yaml = CanonicalYaml.Write(TestSanitizer.Create().Sanitize(generator.NextObject()).Manifest!);

            yaml.Should().NotContain("\r").And.EndWith("\n").And.NotEndWith("\n\n\n");
            yaml.Should().StartWith("apiVersion: example.com/v1\nkind: Widget\nmetadata:\n  name: ");
        }
    }
}
