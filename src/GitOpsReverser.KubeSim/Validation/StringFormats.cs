using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;

namespace GitOpsReverser.KubeSim.Validation;

/// <summary>
/// The string formats a CRD schema may name that the API server checks (apiextensions' supported formats,
/// validated by kube-openapi's strfmt registry). A format outside the list is ignored, as the API server
/// strips it before validating.
/// </summary>
internal static partial class StringFormats
{
    private static readonly Dictionary<string, Func<string, bool>> Checks = new(StringComparer.Ordinal)
    {
        ["bsonobjectid"] = value => BsonObjectId().IsMatch(value),
        ["uri"] = value => Uri.TryCreate(value, UriKind.Absolute, out _) || value.StartsWith('/'),
        ["email"] = value => System.Net.Mail.MailAddress.TryCreate(value, out _),
        ["hostname"] = value => value.Length <= 255 && Hostname().IsMatch(value),
        ["ipv4"] = value => IPAddress.TryParse(value, out var address) && address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork
            && value.Count(c => c == '.') == 3,
        ["ipv6"] = value => value.Contains(':', StringComparison.Ordinal) && IPAddress.TryParse(value, out _),
        ["cidr"] = value => IPNetwork.TryParse(value, out _) && value.Contains('/', StringComparison.Ordinal),
        ["mac"] = value => Mac().IsMatch(value),
        ["uuid"] = value => Uuid().IsMatch(value),
        ["uuid3"] = value => Uuid3().IsMatch(value),
        ["uuid4"] = value => Uuid4().IsMatch(value),
        ["uuid5"] = value => Uuid5().IsMatch(value),
        ["isbn"] = value => Isbn10(value) || Isbn13(value),
        ["isbn10"] = Isbn10,
        ["isbn13"] = Isbn13,
        ["creditcard"] = value => CreditCard().IsMatch(value),
        ["ssn"] = value => Ssn().IsMatch(value),
        ["hexcolor"] = value => HexColor().IsMatch(value),
        ["rgbcolor"] = value => RgbColor().IsMatch(value),
        ["byte"] = value => Convert.TryFromBase64String(value, new byte[value.Length], out _),
        ["password"] = _ => true,
        ["date"] = IsDate,
        ["duration"] = value => Duration().IsMatch(value) || GoDuration().IsMatch(value),
        ["datetime"] = IsDateTime,
        ["date-time"] = IsDateTime,
        ["k8s-short-name"] = value => value.Length <= 63 && ShortName().IsMatch(value),
        ["k8s-long-name"] = value => value.Length <= 253 && LongName().IsMatch(value),
    };

    private static readonly HashSet<string> NumberFormats = new(StringComparer.Ordinal) { "int32", "int64", "float", "double" };

    /// <summary>Whether the API server keeps <paramref name="format"/> in a schema (it strips every other format before validating).</summary>
    public static bool IsSupported(string format) => Checks.ContainsKey(format) || NumberFormats.Contains(format);

    /// <summary>Whether strings are checked against <paramref name="format"/>.</summary>
    public static bool IsStringFormat(string format) => Checks.ContainsKey(format);

    /// <summary>False when <paramref name="value"/> is not a valid <paramref name="format"/>; true for formats not checked.</summary>
    public static bool IsValid(string format, string value) => !Checks.TryGetValue(format, out var check) || check(value);

    private static bool IsDate(string value) =>
        DateTime.TryParseExact(value, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out _);

    // RFC 3339 with or without fractional seconds, and the local form without an offset.
    private static bool IsDateTime(string value)
    {
        var match = DateTimePattern().Match(value);
        return match.Success && IsDate(match.Groups["date"].Value)
            && int.Parse(match.Groups["h"].Value, CultureInfo.InvariantCulture) < 24
            && int.Parse(match.Groups["m"].Value, CultureInfo.InvariantCulture) < 60
            && int.Parse(match.Groups["s"].Value, CultureInfo.InvariantCulture) < 61;
    }

    private static bool Isbn10(string value)
    {
        var digits = value.Replace("-", "", StringComparison.Ordinal).Replace(" ", "", StringComparison.Ordinal);
        if (!Isbn10Pattern().IsMatch(digits))
        {
            return false;
        }

        var sum = 0;
        for (var i = 0; i < 10; i++)
        {
            sum += (10 - i) * (digits[i] is 'X' or 'x' ? 10 : digits[i] - '0');
        }

        return sum % 11 == 0;
    }

    private static bool Isbn13(string value)
    {
        var digits = value.Replace("-", "", StringComparison.Ordinal).Replace(" ", "", StringComparison.Ordinal);
        if (digits.Length != 13 || !digits.All(char.IsAsciiDigit))
        {
            return false;
        }

        var sum = 0;
        for (var i = 0; i < 13; i++)
        {
            sum += (digits[i] - '0') * (i % 2 == 0 ? 1 : 3);
        }

        return sum % 10 == 0;
    }

    [GeneratedRegex("^[0-9a-fA-F]{24}$")]
    private static partial Regex BsonObjectId();

    [GeneratedRegex(@"^([a-zA-Z0-9\p{S}\p{L}]((-?[a-zA-Z0-9\p{S}\p{L}]{0,62})?)|([a-zA-Z0-9\p{S}\p{L}](([a-zA-Z0-9-\p{S}\p{L}]{0,61}[a-zA-Z0-9\p{S}\p{L}])?)(\.)){1,}([a-zA-Z\p{L}]){2,63})$")]
    private static partial Regex Hostname();

    [GeneratedRegex("^([0-9a-fA-F]{2}[:-]){5}[0-9a-fA-F]{2}$|^([0-9a-fA-F]{2}[:-]){7}[0-9a-fA-F]{2}$|^([0-9a-fA-F]{4}\\.){2}[0-9a-fA-F]{4}$")]
    private static partial Regex Mac();

    [GeneratedRegex("^(?i)[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}$")]
    private static partial Regex Uuid();

    [GeneratedRegex("^(?i)[0-9a-f]{8}-?[0-9a-f]{4}-?3[0-9a-f]{3}-?[0-9a-f]{4}-?[0-9a-f]{12}$")]
    private static partial Regex Uuid3();

    [GeneratedRegex("^(?i)[0-9a-f]{8}-?[0-9a-f]{4}-?4[0-9a-f]{3}-?[89ab][0-9a-f]{3}-?[0-9a-f]{12}$")]
    private static partial Regex Uuid4();

    [GeneratedRegex("^(?i)[0-9a-f]{8}-?[0-9a-f]{4}-?5[0-9a-f]{3}-?[89ab][0-9a-f]{3}-?[0-9a-f]{12}$")]
    private static partial Regex Uuid5();

    [GeneratedRegex("^[0-9]{9}[0-9Xx]$")]
    private static partial Regex Isbn10Pattern();

    [GeneratedRegex("^(?:4[0-9]{12}(?:[0-9]{3})?|5[1-5][0-9]{14}|6(?:011|5[0-9][0-9])[0-9]{12}|3[47][0-9]{13}|3(?:0[0-5]|[68][0-9])[0-9]{11}|(?:2131|1800|35\\d{3})\\d{11})$")]
    private static partial Regex CreditCard();

    [GeneratedRegex(@"^\d{3}[- ]?\d{2}[- ]?\d{4}$")]
    private static partial Regex Ssn();

    [GeneratedRegex("^#?([0-9a-fA-F]{3}|[0-9a-fA-F]{6})$")]
    private static partial Regex HexColor();

    [GeneratedRegex(@"^rgb\(\s*(0|[1-9]\d?|1\d\d?|2[0-4]\d|25[0-5])\s*,\s*(0|[1-9]\d?|1\d\d?|2[0-4]\d|25[0-5])\s*,\s*(0|[1-9]\d?|1\d\d?|2[0-4]\d|25[0-5])\s*\)$")]
    private static partial Regex RgbColor();

    [GeneratedRegex(@"^([0-9]+)\s*(ns|us|µs|ms|s|m|h|d|w|nanoseconds?|microseconds?|milliseconds?|seconds?|minutes?|hours?|days?|weeks?)$")]
    private static partial Regex Duration();

    [GeneratedRegex(@"^[-+]?(([0-9]+(\.[0-9]*)?|\.[0-9]+)(ns|us|µs|ms|s|m|h))+$|^0$")]
    private static partial Regex GoDuration();

    [GeneratedRegex(@"^(?<date>\d{4}-\d{2}-\d{2})[Tt](?<h>\d{2}):(?<m>\d{2}):(?<s>\d{2})(\.\d+)?([Zz]|[+-]\d{2}:?\d{2})?$")]
    private static partial Regex DateTimePattern();

    [GeneratedRegex("^[a-z0-9]([-a-z0-9]*[a-z0-9])?$")]
    private static partial Regex ShortName();

    [GeneratedRegex("^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$")]
    private static partial Regex LongName();
}
