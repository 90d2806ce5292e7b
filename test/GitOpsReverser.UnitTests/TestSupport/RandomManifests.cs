using System.Globalization;
using GitOpsReverser.Manifests;

namespace GitOpsReverser.UnitTests.TestSupport;

/// <summary>Seeded random objects full of strings that YAML writers get wrong.</summary>
internal sealed class RandomManifests(int seed)
{
    public static readonly string[] TrickyStrings =
    [
        "true", "on", "yes", "No", "y", "0755", "08", "1e3", "1_000", "null", "~", "2024-01-01", "2024-01-01T10:00:00Z", "",
        " lead", "trail ", "a: b", "# c", "a #b", "- x", "-", "*x", "&y", "!t", "%p", "@at", "`bt", "it's", "say \"hi\"",
        "a\tb", "line1\nline2", "line1\nline2\n", "x\n\n", "  indented\nnext", "\n", "\n\n", "\r\n", "a\rb", "héllo",
        "🚀 launch", "1:20", "0x1F", "0o17", ".5", "-1", "+1", "=", "<<", "{a}", "[b]", "key:", "?q", "|", ">",
        "null\n", "\u0001bell", "\u2028sep", "tab\t\nx", "end space \nnext", "\ttab", "multi\n  indented\n\tand tab\n",
        ".inf", "-.inf", ".nan", "0.0", "1.", "3.14", "---", "...", "- - x", "'quoted'", "\"dq\"",
    ];

    private readonly Random random = new(seed);

    public MappingNode NextObject(string apiVersion = "example.com/v1", string kind = "Widget")
    {
        var manifest = new MappingNode();
        manifest["apiVersion"] = ScalarNode.String(apiVersion);
        manifest["kind"] = ScalarNode.String(kind);
        var metadata = new MappingNode();
        metadata["name"] = ScalarNode.String($"obj-{random.Next(100000)}");
        metadata["namespace"] = ScalarNode.String("default");
        metadata["labels"] = NextStringMap();
        metadata["annotations"] = NextStringMap();
        manifest["metadata"] = metadata;
        manifest["spec"] = NextMapping(depth: 0);
        manifest["data"] = NextStringMap();
        return manifest;
    }

    public string NextString() =>
        random.Next(3) == 0 ? NextWord() : TrickyStrings[random.Next(TrickyStrings.Length)];

    public string NextWord(int minLength = 1, int maxLength = 12)
    {
        const string Alphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
        return new string(Enumerable.Range(0, random.Next(minLength, maxLength + 1)).Select(_ => Alphabet[random.Next(Alphabet.Length)]).ToArray());
    }

    public T Pick<T>(IReadOnlyList<T> items) => items[random.Next(items.Count)];

    public int Next(int max) => random.Next(max);

    private MappingNode NextStringMap()
    {
        var map = new MappingNode();
        for (var i = random.Next(4); i > 0; i--)
        {
            map.TryAdd(NextKey(), ScalarNode.String(NextString()));
        }

        return map;
    }

    private MappingNode NextMapping(int depth)
    {
        var map = new MappingNode();
        for (var i = random.Next(1, 6); i > 0; i--)
        {
            map.TryAdd(NextKey(), NextValue(depth + 1));
        }

        return map;
    }

    private ManifestNode NextValue(int depth) => random.Next(depth >= 3 ? 6 : 9) switch
    {
        0 or 1 or 2 => ScalarNode.String(NextString()),
        3 => ScalarResolver.CanonicalJsonNumber(random.NextInt64(-1_000_000_000_000, 1_000_000_000_000).ToString(CultureInfo.InvariantCulture)),
        4 => ScalarResolver.CanonicalJsonNumber((random.NextDouble() * Math.Pow(10, random.Next(-8, 25))).ToString("R", CultureInfo.InvariantCulture)),
        5 => random.Next(3) switch { 0 => ScalarNode.True, 1 => ScalarNode.False, _ => ScalarNode.Null },
        6 or 7 => NextMapping(depth),
        _ => new SequenceNode(Enumerable.Range(0, random.Next(4)).Select(_ => NextValue(depth + 1))),
    };

    private string NextKey() => random.Next(4) == 0 ? Pick(TrickyStrings) : NextWord();
}
