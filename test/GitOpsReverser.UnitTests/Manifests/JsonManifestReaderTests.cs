using System.Text;
using GitOpsReverser.Manifests;

namespace GitOpsReverser.UnitTests.Manifests;

public sealed class JsonManifestReaderTests
{
    [Test]
    public void Read_TypesAndOrder_ArePreserved()
    {
        var node = (MappingNode)JsonManifestReader.Read(Encoding.UTF8.GetBytes("""{"s":"true","i":3,"f":0.5,"b":false,"n":null,"l":[1,"2"]}"""));

        node.Entries.Select(entry => entry.Key).Should().Equal("s", "i", "f", "b", "n", "l");
        node["s"].Should().BeSameAs(node["s"]).And.BeEquivalentTo(ScalarNode.String("true"));
        ((ScalarNode)node["i"]!).Kind.Should().Be(ScalarKind.Integer);
        ((ScalarNode)node["f"]!).Kind.Should().Be(ScalarKind.Float);
        node["b"].Should().BeSameAs(ScalarNode.False);
        node["n"].Should().BeSameAs(ScalarNode.Null);
        node.GetSequence("l")!.Count.Should().Be(2);
    }

    [Test]
    public void Read_DuplicateKey_IsRefused()
    {
        var act = () => JsonManifestReader.Read("""{"a":1,"a":2}"""u8);

        act.Should().Throw<ManifestFormatException>().WithMessage("duplicate key \"a\"");
    }

    [Test]
    public void Read_Malformed_NamesTheLine()
    {
        var act = () => JsonManifestReader.Read("{\n\"a\": [1,\n}"u8);

        act.Should().Throw<ManifestFormatException>().WithMessage("invalid JSON at line 3*");
    }

    [Test]
    public void ReadAll_ConcatenatedValues_AreAllRead() =>
        JsonManifestReader.ReadAll("{\"a\":1}\n{\"b\":2}"u8).Should().HaveCount(2);
}
