using System.Collections.Concurrent;
using System.Text.RegularExpressions;

namespace GitOpsReverser.KubeSim.Validation;

/// <summary>Schema patterns, compiled once each. The API server's are Go RE2; .NET's syntax covers what CRDs use.</summary>
internal static class Patterns
{
    private static readonly ConcurrentDictionary<string, Regex?> Compiled = new(StringComparer.Ordinal);

    public static bool IsMatch(string pattern, string text) =>
        Compile(pattern, out _) is not { } regex || regex.IsMatch(text);

    /// <summary>The compiled pattern, or null with the parser's complaint.</summary>
    public static Regex? Compile(string pattern, out string? problem)
    {
        problem = null;
        if (Compiled.TryGetValue(pattern, out var cached) && cached is not null)
        {
            return cached;
        }

        try
        {
            var regex = new Regex(pattern, RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));
            Compiled[pattern] = regex;
            return regex;
        }
        catch (ArgumentException e)
        {
            problem = e.Message;
            return null;
        }
    }
}
