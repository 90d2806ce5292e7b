using System.Text;
using GitOpsReverser.Git.Layout;
using GitOpsReverser.UnitTests.TestSupport;

namespace GitOpsReverser.UnitTests.Git;

public sealed class FileNameEncodingTests
{
    [TestCase("app-config", "app-config.yaml")]
    [TestCase("system:controller:deployment-controller", "system%3Acontroller%3Adeployment-controller.yaml")]
    [TestCase("100%", "100%25.yaml")]
    [TestCase("con", "%63on.yaml")]
    [TestCase("NUL.backup", "%4EUL.backup.yaml")]
    [TestCase("grüße", "gr%C3%BC%C3%9Fe.yaml")]
    [TestCase("..", "...yaml")]
    public void Encode_Name_IsPathSafeAndReversible(string name, string fileName)
    {
        FileNameEncoding.Encode(name).Should().Be(fileName);
        FileNameEncoding.Decode(fileName).Should().Be(name);
    }

    [Test]
    public void Encode_AnyName_NeverLeavesItsFolderAndFitsAFileSystem()
    {
        var generator = new RandomManifests(seed: 21);
        var names = Enumerable.Range(0, 2000).Select(_ => generator.NextString() + generator.NextWord() + generator.Pick(["/../x", "\\a", ":b", "", "🚀"]))
            .Append(new string('a', 253)).Append(string.Concat(Enumerable.Repeat(":", 253)));
        foreach (var name in names)
        {
            var fileName = FileNameEncoding.Encode(name);

            fileName.Should().NotContain("/").And.NotContain("\\").And.EndWith(".yaml");
            fileName.Any(char.IsControl).Should().BeFalse();
            Encoding.UTF8.GetByteCount(fileName).Should().BeLessThanOrEqualTo(255);
            if (!fileName.Contains('~', StringComparison.Ordinal))
            {
                FileNameEncoding.Decode(fileName).Should().Be(name);
            }
        }
    }

    [Test]
    public void Encode_TooLongName_IsShortenedWithAHashThatKeepsNamesApart()
    {
        var first = FileNameEncoding.Encode(string.Concat(Enumerable.Repeat(":", 200)) + "a");
        var second = FileNameEncoding.Encode(string.Concat(Enumerable.Repeat(":", 200)) + "b");

        first.Should().MatchRegex("^(%3A)+~[0-9a-f]{16}\\.yaml$").And.NotBe(second);
        FileNameEncoding.Decode(first).Should().BeNull();
    }
}
