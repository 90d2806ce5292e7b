using System.Collections;
using System.Text.RegularExpressions;
using Cel;

namespace GitOpsReverser.KubeSim.Validation;

/// <summary>
/// The functions of Kubernetes' CEL libraries (cel-go's strings extension, the Kubernetes list and regex
/// libraries) that rules commonly call and the <c>Cel</c> evaluator lacks. Not here, and so an evaluation error
/// when a rule calls them: <c>format</c>, <c>quote</c>, <c>reverse</c>, the URL, IP, CIDR, quantity and semver
/// libraries, optionals (<c>?.</c>, <c>orValue</c>) and two-variable comprehensions.
/// </summary>
internal static class KubernetesCelLibrary
{
    public static CelEnvironment Register(CelEnvironment environment)
    {
        // cel-go strings extension.
        environment.RegisterFunction("lowerAscii", [typeof(string)], args => Text(args[0]).ToLowerInvariant());
        environment.RegisterFunction("upperAscii", [typeof(string)], args => Text(args[0]).ToUpperInvariant());
        environment.RegisterFunction("trim", [typeof(string)], args => Text(args[0]).Trim());
        environment.RegisterFunction("replace", [typeof(string), typeof(string), typeof(string)],
            args => Text(args[0]).Replace(Text(args[1]), Text(args[2]), StringComparison.Ordinal));
        environment.RegisterFunction("split", [typeof(string), typeof(string)],
            args => Text(args[0]).Split(Text(args[1])).Cast<object?>().ToArray());
        environment.RegisterFunction("substring", [typeof(string), typeof(long)], args => Substring(Text(args[0]), (long)args[1]!, null));
        environment.RegisterFunction("substring", [typeof(string), typeof(long), typeof(long)],
            args => Substring(Text(args[0]), (long)args[1]!, (long)args[2]!));
        environment.RegisterFunction("charAt", [typeof(string), typeof(long)], args => Substring(Text(args[0]), (long)args[1]!, (long)args[1]! + 1));
        environment.RegisterFunction("indexOf", [typeof(string), typeof(string)],
            args => (long)Text(args[0]).IndexOf(Text(args[1]), StringComparison.Ordinal));
        environment.RegisterFunction("lastIndexOf", [typeof(string), typeof(string)],
            args => (long)Text(args[0]).LastIndexOf(Text(args[1]), StringComparison.Ordinal));
        environment.RegisterFunction("join", [typeof(IEnumerable)], args => string.Join("", Items(args[0]).Select(item => Text(item))));
        environment.RegisterFunction("join", [typeof(IEnumerable), typeof(string)],
            args => string.Join(Text(args[1]), Items(args[0]).Select(item => Text(item))));

        // Kubernetes regex library.
        environment.RegisterFunction("find", [typeof(string), typeof(string)],
            args => Regex.Match(Text(args[0]), Text(args[1]), RegexOptions.None, TimeSpan.FromSeconds(1)) is { Success: true } match ? match.Value : "");
        environment.RegisterFunction("findAll", [typeof(string), typeof(string)],
            args => Regex.Matches(Text(args[0]), Text(args[1]), RegexOptions.None, TimeSpan.FromSeconds(1)).Select(match => (object?)match.Value).ToArray());

        // Kubernetes lists library.
        environment.RegisterFunction("isSorted", [typeof(IEnumerable)], args =>
        {
            var items = Items(args[0]).ToList();
            return items.Zip(items.Skip(1)).All(pair => Comparer.Default.Compare(pair.First, pair.Second) <= 0);
        });
        environment.RegisterFunction("sum", [typeof(IEnumerable)], args =>
        {
            var items = Items(args[0]).ToList();
            return items.All(item => item is long) ? items.Sum(item => (long)item!) : (object)items.Sum(item => Convert.ToDouble(item, System.Globalization.CultureInfo.InvariantCulture));
        });
        environment.RegisterFunction("min", [typeof(IEnumerable)], args => Items(args[0]).Min());
        environment.RegisterFunction("max", [typeof(IEnumerable)], args => Items(args[0]).Max());
        return environment;
    }

    private static string Text(object? value) => value as string ?? throw new ArgumentException("no such overload");

    private static IEnumerable<object?> Items(object? value) =>
        value is IEnumerable items and not string ? items.Cast<object?>() : throw new ArgumentException("no such overload");

    private static string Substring(string text, long start, long? end)
    {
        var runes = text.EnumerateRunes().ToList();
        var stop = end ?? runes.Count;
        if (start < 0 || stop > runes.Count || start > stop)
        {
            throw new ArgumentException($"index out of range: {(start < 0 || start > runes.Count ? start : stop)}");
        }

        return string.Concat(runes.Skip((int)start).Take((int)(stop - start)).Select(rune => rune.ToString()));
    }
}
