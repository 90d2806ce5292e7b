using GitOpsReverser.Manifests;

namespace GitOpsReverser.UnitTests.Manifests;

public sealed class YamlManifestReaderTests
{
    [Test]
    public void ReadDocuments_AnchorsAliasesAndMergeKeys_AreExpandedWithExplicitKeysWinning()
    {
        var manifest = Manifest.Yaml("""
            defaults: &defaults {cpu: 100m, memory: 64Mi}
            limits:
              <<: *defaults
              memory: 128Mi
            copy: *defaults
            """);

        manifest.GetMapping("limits")!.GetString("memory").Should().Be("128Mi");
        manifest.GetMapping("limits")!.GetString("cpu").Should().Be("100m");
        manifest.GetMapping("copy")!.DeepEquals(manifest.GetMapping("defaults")).Should().BeTrue();
    }

    [Test]
    public void ReadDocuments_PlainKeys_AreResolvedLikeKubernetesDoes()
    {
        var manifest = Manifest.Yaml("{on: a, 1: b, \"on\": c}");

        manifest.Entries.Select(entry => entry.Key).Should().Equal("true", "1", "on");
    }

    [Test]
    public void ReadDocuments_ExplicitTags_DecideTheType()
    {
        var manifest = Manifest.Yaml("{a: !!str 123, b: !!int \"42\", c: !!str true}");

        manifest["a"].Should().BeEquivalentTo(ScalarNode.String("123"));
        ((ScalarNode)manifest["b"]!).Kind.Should().Be(ScalarKind.Integer);
        manifest.GetString("c").Should().Be("true");
    }

    [Test]
    public void ReadDocuments_DuplicateKey_IsRefusedWithItsLine()
    {
        var act = () => YamlManifestReader.ReadDocuments("a: 1\nb: 2\na: 3\n");

        act.Should().Throw<ManifestFormatException>().WithMessage("line 3: duplicate key \"a\"");
    }

    [Test]
    public void ReadDocuments_AliasBomb_IsRefused()
    {
        var bomb = "a: &a [x, x, x, x, x, x, x, x, x, x]\n" + string.Join('\n', Enumerable.Range(1, 9).Select(i =>
            $"{(char)('a' + i)}: &{(char)('a' + i)} [{string.Join(", ", Enumerable.Repeat($"*{(char)('a' + i - 1)}", 10))}]"));

        var act = () => YamlManifestReader.ReadDocuments(bomb);

        act.Should().Throw<ManifestFormatException>().WithMessage("*alias bomb*");
    }

    [Test]
    public void ReadDocuments_SyntaxError_NamesTheLine()
    {
        var act = () => YamlManifestReader.ReadDocuments("a: 1\nb: [\n", firstLine: 10);

        act.Should().Throw<ManifestFormatException>().WithMessage("invalid YAML at line 11, column *");
    }
}
