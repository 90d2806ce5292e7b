using System.Globalization;
using System.Numerics;
using System.Text.RegularExpressions;

namespace GitOpsReverser.Manifests;

/// <summary>
/// Decides what a YAML plain scalar means, the way Kubernetes reads YAML (sigs.k8s.io/yaml over go-yaml v2:
/// YAML 1.1 booleans such as <c>on</c> and <c>yes</c>, Go's integer prefixes, timestamps kept as strings),
/// and which strings must be quoted so that no YAML 1.1 or 1.2 reader takes them for another type.
/// </summary>
internal static partial class ScalarResolver
{
    private const double MaxExactInteger = 9007199254740992d; // 2^53

    private static readonly Dictionary<string, ScalarNode> Keywords = BuildKeywords();

    /// <summary>Resolves an untagged plain scalar.</summary>
    public static ScalarNode ResolvePlain(string text)
    {
        if (Keywords.TryGetValue(text, out var keyword))
        {
            return keyword;
        }

        var first = text[0];
        if (first == '.')
        {
            return LeadingDotFloat().IsMatch(text) && TryCanonicalFloat(text, out var dotted) ? dotted : ScalarNode.String(text);
        }

        if (first is '+' or '-' || char.IsAsciiDigit(first))
        {
            var plain = text.Replace("_", string.Empty, StringComparison.Ordinal);
            if (TryParseGoInteger(plain, out var integer))
            {
                return integer;
            }

            if (YamlStyleFloat().IsMatch(plain) && TryCanonicalFloat(plain, out var number))
            {
                return number;
            }
        }

        return ScalarNode.String(text);
    }

    /// <summary>Resolves a scalar with an explicit core-schema tag such as <c>!!int</c>; unknown tags keep the text.</summary>
    public static ScalarNode ResolveTagged(string tag, string text) => tag switch
    {
        "tag:yaml.org,2002:str" or "tag:yaml.org,2002:binary" or "tag:yaml.org,2002:timestamp" => ScalarNode.String(text),
        "tag:yaml.org,2002:null" => ScalarNode.Null,
        "tag:yaml.org,2002:bool" or "tag:yaml.org,2002:int" or "tag:yaml.org,2002:float" =>
            ResolvePlain(text) is { Kind: not ScalarKind.String and not ScalarKind.Null } typed
                ? typed
                : throw new FormatException($"'{text}' is not a valid {tag["tag:yaml.org,2002:".Length..]}"),
        _ => ScalarNode.String(text),
    };

    /// <summary>
    /// Canonicalises a JSON number: integers stay exact; a float with an integral value up to 2^53 becomes an
    /// integer (as the API server re-encodes it); other floats keep their shortest round-trip form.
    /// </summary>
    public static ScalarNode CanonicalJsonNumber(string text)
    {
        // Most numbers are small decimal integers already in canonical form: keep the text as it is.
        if (long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out _)
            && (text[0] != '0' || text.Length == 1) && text[0] != '+' && !text.StartsWith("-0", StringComparison.Ordinal))
        {
            return ScalarNode.Number(ScalarKind.Integer, text);
        }

        if (text.AsSpan().IndexOfAny('.', 'e', 'E') < 0 && TryParseGoInteger(text, out var integer))
        {
            return integer;
        }

        return TryCanonicalFloat(text, out var number)
            ? number
            : throw new FormatException($"'{text}' is not a number");
    }

    /// <summary>True when a string written without quotes would be read as something other than that string.</summary>
    public static bool NeedsQuotes(string text) =>
        text.Length == 0
        || ResolvePlain(text).Kind != ScalarKind.String
        || text is "=" or "<<"
        || TimestampLike().IsMatch(text)
        || Sexagesimal().IsMatch(text)
        || Yaml12Number().IsMatch(text);

    private static bool TryCanonicalFloat(string text, out ScalarNode node)
    {
        if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value))
        {
            node = ScalarNode.Null;
            return false;
        }

        node = FromDouble(value);
        return true;
    }

    private static ScalarNode FromDouble(double value)
    {
        if (double.IsNaN(value))
        {
            return ScalarNode.Number(ScalarKind.Float, ".nan");
        }

        if (double.IsInfinity(value))
        {
            return ScalarNode.Number(ScalarKind.Float, value > 0 ? ".inf" : "-.inf");
        }

        if (Math.Floor(value) == value && Math.Abs(value) <= MaxExactInteger)
        {
            return ScalarNode.Number(ScalarKind.Integer, ((long)value).ToString(CultureInfo.InvariantCulture));
        }

        var text = value.ToString("R", CultureInfo.InvariantCulture).Replace('E', 'e');
        return ScalarNode.Number(ScalarKind.Float, text);
    }

    /// <summary>Go's <c>strconv.ParseInt(s, 0, 64)</c>, falling back to <c>ParseUint</c>: sign, 0x/0o/0b or leading-0 octal.</summary>
    private static bool TryParseGoInteger(string text, out ScalarNode node)
    {
        node = ScalarNode.Null;
        var span = text.AsSpan();
        var negative = false;
        if (span.Length > 0 && span[0] is '+' or '-')
        {
            negative = span[0] == '-';
            span = span[1..];
        }

        var radix = 10;
        if (span.Length > 1 && span[0] == '0')
        {
            radix = char.ToLowerInvariant(span[1]) switch
            {
                'x' => 16,
                'o' => 8,
                'b' => 2,
                _ => 0,
            };
            span = radix == 0 ? span[1..] : span[2..];
            radix = radix == 0 ? 8 : radix;
        }

        if (span.IsEmpty)
        {
            return false;
        }

        BigInteger magnitude = 0;
        foreach (var c in span)
        {
            var digit = char.IsAsciiDigit(c) ? c - '0' : char.IsAsciiLetter(c) ? char.ToLowerInvariant(c) - 'a' + 10 : 99;
            if (digit >= radix)
            {
                return false;
            }

            magnitude = (magnitude * radix) + digit;
        }

        var value = negative ? -magnitude : magnitude;
        if (value < long.MinValue || value > ulong.MaxValue)
        {
            return false;
        }

        node = ScalarNode.Number(ScalarKind.Integer, value.ToString(CultureInfo.InvariantCulture));
        return true;
    }

    private static Dictionary<string, ScalarNode> BuildKeywords()
    {
        var keywords = new Dictionary<string, ScalarNode>(StringComparer.Ordinal);
        void Add(ScalarNode node, params string[] words)
        {
            foreach (var word in words)
            {
                keywords[word] = node;
            }
        }

        Add(ScalarNode.True, "y", "Y", "yes", "Yes", "YES", "true", "True", "TRUE", "on", "On", "ON");
        Add(ScalarNode.False, "n", "N", "no", "No", "NO", "false", "False", "FALSE", "off", "Off", "OFF");
        Add(ScalarNode.Null, string.Empty, "~", "null", "Null", "NULL");
        Add(ScalarNode.Number(ScalarKind.Float, ".nan"), ".nan", ".NaN", ".NAN");
        Add(ScalarNode.Number(ScalarKind.Float, ".inf"), ".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF");
        Add(ScalarNode.Number(ScalarKind.Float, "-.inf"), "-.inf", "-.Inf", "-.INF");
        return keywords;
    }

    [GeneratedRegex(@"^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$", RegexOptions.CultureInvariant)]
    private static partial Regex YamlStyleFloat();

    [GeneratedRegex(@"^\.[0-9]+([eE][-+]?[0-9]+)?$", RegexOptions.CultureInvariant)]
    private static partial Regex LeadingDotFloat();

    [GeneratedRegex(@"^[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}([Tt ]|$)", RegexOptions.CultureInvariant)]
    private static partial Regex TimestampLike();

    [GeneratedRegex(@"^[-+]?[0-9][0-9_]*(:[0-5]?[0-9])+(\.[0-9_]*)?$", RegexOptions.CultureInvariant)]
    private static partial Regex Sexagesimal();

    // YAML 1.2 core numbers that go-yaml v2 reads differently, e.g. "0o17" or "1e3" (covered) and "-.5".
    [GeneratedRegex(@"^([-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?|0o[0-7]+|0x[0-9a-fA-F]+|[-+]?\.(inf|Inf|INF)|\.(nan|NaN|NAN))$", RegexOptions.CultureInvariant)]
    private static partial Regex Yaml12Number();
}
