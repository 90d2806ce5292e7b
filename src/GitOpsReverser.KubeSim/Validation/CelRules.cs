using System.Collections.Concurrent;
using System.Text.RegularExpressions;
using Cel;

namespace GitOpsReverser.KubeSim.Validation;

/// <summary>
/// <c>x-kubernetes-validations</c> rules, compiled once each with the <c>Cel</c> evaluator and run with
/// <c>self</c> (and <c>oldSelf</c> for transition rules). The evaluator is dynamically typed: a rule that
/// parses compiles, so type errors and unknown names surface when the rule runs, not when the CRD is written.
/// Of Kubernetes' CEL libraries it has the standard macros and functions plus those registered in
/// <see cref="KubernetesCelLibrary"/>.
/// </summary>
internal static partial class CelRules
{

    private static readonly CelEnvironment Environment = KubernetesCelLibrary.Register(new CelEnvironment(null, null));
    private static readonly ConcurrentDictionary<string, CompiledRule> Cache = new(StringComparer.Ordinal);

    /// <summary>The rule compiled, or its compile error in cel-go's words.</summary>
    public static CompiledRule Compile(string rule) => Cache.GetOrAdd(rule, static text =>
    {
        try
        {
            return new CompiledRule(text, Environment.Compile(text), null, OldSelf().IsMatch(text));
        }
        catch (Exception e) when (e is CelExpressionParserException or NotSupportedException or NotImplementedException or ArgumentException)
        {
            return new CompiledRule(text, null, CompileError(text, e.Message), false);
        }
    });

    /// <summary>
    /// Runs a compiled rule: true or false, or the error text (<c>no such key: x</c>) when it cannot be evaluated.
    /// </summary>
    public static (bool Passed, string? Error) Evaluate(CompiledRule rule, object? self, bool hasOldSelf, object? oldSelf)
    {
        var (result, error) = Run(rule, self, hasOldSelf, oldSelf);
        return error is not null ? (false, error)
            : result is bool passed ? (passed, null)
            : (false, Describe(result?.GetType().Name ?? "null", result?.ToString() ?? ""));
    }

    /// <summary>Runs a <c>messageExpression</c>: its string, or null when it fails or is not a string.</summary>
    public static string? Message(CompiledRule expression, object? self, bool hasOldSelf, object? oldSelf) =>
        Run(expression, self, hasOldSelf, oldSelf).Result as string;

    private static (object? Result, string? Error) Run(CompiledRule rule, object? self, bool hasOldSelf, object? oldSelf)
    {
        var variables = new Dictionary<string, object?> { ["self"] = self };
        if (hasOldSelf)
        {
            variables["oldSelf"] = oldSelf;
        }

        try
        {
            return (rule.Program!.Invoke(variables), null);
        }
        catch (Exception e) when (e.GetType().Namespace?.StartsWith("Cel", StringComparison.Ordinal) == true || e is InvalidCastException or ArgumentException)
        {
            return (null, Describe(e.GetType().Name, e.Message));
        }
    }

    private static string Describe(string errorType, string message) => errorType switch
    {
        _ when errorType.Contains("NoSuchField", StringComparison.Ordinal) =>
            "no such key: " + (Quoted().Match(message) is { Success: true } key ? key.Groups[1].Value : message),
        _ when errorType.Contains("NoSuchOverload", StringComparison.Ordinal) || errorType.Contains("UnboundFunction", StringComparison.Ordinal)
            || message == "no such overload" => "no such overload",
        _ when errorType.Contains("DivideByZero", StringComparison.Ordinal) || errorType.Contains("ModulusByZero", StringComparison.Ordinal) => "division by zero",
        _ when errorType.Contains("ArgumentRange", StringComparison.Ordinal) => "index out of bounds",
        _ when errorType.Contains("Overflow", StringComparison.Ordinal) => "integer overflow",
        _ => message,
    };

    // cel-go: "ERROR: <input>:1:10: Syntax error: …" with the rule and a caret under the column.
    private static string CompileError(string rule, string message)
    {
        if (ParserPosition().Match(message) is { Success: true } position)
        {
            var line = int.Parse(position.Groups["line"].Value, System.Globalization.CultureInfo.InvariantCulture);
            var column = int.Parse(position.Groups["column"].Value, System.Globalization.CultureInfo.InvariantCulture);
            var source = rule.Split('\n').ElementAtOrDefault(line - 1) ?? "";
            return $"compilation failed: ERROR: <input>:{line}:{column + 1}: Syntax error: {position.Groups["text"].Value}\n | {source}\n | {new string('.', column)}^";
        }

        return $"compilation failed: ERROR: <input>:1:1: {message}";
    }

    [GeneratedRegex(@"\boldSelf\b")]
    private static partial Regex OldSelf();

    [GeneratedRegex("'([^']*)'")]
    private static partial Regex Quoted();

    [GeneratedRegex(@"^Line (?<line>\d+):(?<column>\d+) (?<text>.*)$", RegexOptions.Singleline)]
    private static partial Regex ParserPosition();
}
