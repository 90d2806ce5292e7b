using GitOpsReverser.Manifests;

namespace GitOpsReverser.UnitTests.Manifests;

public sealed class ScalarResolverTests
{
    [TestCase("on", "Boolean", "true")]
    [TestCase("Yes", "Boolean", "true")]
    [TestCase("n", "Boolean", "false")]
    [TestCase("OFF", "Boolean", "false")]
    [TestCase("~", "Null", "null")]
    [TestCase("", "Null", "null")]
    [TestCase("0755", "Integer", "493")]
    [TestCase("0x1F", "Integer", "31")]
    [TestCase("0o17", "Integer", "15")]
    [TestCase("0b101", "Integer", "5")]
    [TestCase("-42", "Integer", "-42")]
    [TestCase("+7", "Integer", "7")]
    [TestCase("1_000", "Integer", "1000")]
    [TestCase("08", "Integer", "8")]
    [TestCase("1e3", "Integer", "1000")]
    [TestCase("1.0", "Integer", "1")]
    [TestCase("1.5", "Float", "1.5")]
    [TestCase(".5", "Float", "0.5")]
    [TestCase("1e300", "Float", "1e+300")]
    [TestCase("-.inf", "Float", "-.inf")]
    [TestCase(".NaN", "Float", ".nan")]
    [TestCase("18446744073709551615", "Integer", "18446744073709551615")]
    [TestCase("2024-01-01", "String", "2024-01-01")]
    [TestCase("1:20", "String", "1:20")]
    [TestCase("0x", "String", "0x")]
    [TestCase("-", "String", "-")]
    [TestCase("1.2.3", "String", "1.2.3")]
    [TestCase("hello", "String", "hello")]
    public void ResolvePlain_LikeKubernetesYamlDecoder(string plain, string kind, string text)
    {
        var scalar = ScalarResolver.ResolvePlain(plain);

        scalar.Kind.Should().Be(Enum.Parse<ScalarKind>(kind));
        scalar.Text.Should().Be(text);
    }

    [TestCase("true")]
    [TestCase("on")]
    [TestCase("y")]
    [TestCase("0755")]
    [TestCase("1e3")]
    [TestCase("null")]
    [TestCase("~")]
    [TestCase("2024-01-01")]
    [TestCase("2024-01-01T10:00:00Z")]
    [TestCase("1:20")]
    [TestCase("0o17")]
    [TestCase("")]
    [TestCase("=")]
    [TestCase("<<")]
    [TestCase(".5")]
    [TestCase("-.inf")]
    public void NeedsQuotes_TextAnyYamlReaderTakesForAnotherType_IsTrue(string text) =>
        ScalarResolver.NeedsQuotes(text).Should().BeTrue();

    [TestCase("hello")]
    [TestCase("1.2.3")]
    [TestCase("v1")]
    [TestCase("25%")]
    [TestCase("100m")]
    [TestCase("http://x:80/a")]
    public void NeedsQuotes_PlainString_IsFalse(string text) =>
        ScalarResolver.NeedsQuotes(text).Should().BeFalse();

    [TestCase("1", "Integer", "1")]
    [TestCase("1.0", "Integer", "1")]
    [TestCase("1e3", "Integer", "1000")]
    [TestCase("0.25", "Float", "0.25")]
    [TestCase("-9223372036854775808", "Integer", "-9223372036854775808")]
    public void CanonicalJsonNumber_IsWhatTheApiServerWouldReturn(string json, string kind, string text)
    {
        var scalar = ScalarResolver.CanonicalJsonNumber(json);

        scalar.Kind.Should().Be(Enum.Parse<ScalarKind>(kind));
        scalar.Text.Should().Be(text);
    }
}
