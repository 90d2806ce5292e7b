using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace GitOpsReverser.KubeSim.Admission;

/// <summary>
/// A webhook's <c>matchConditions</c>: every condition must hold for the webhook to be called. KubeSim
/// evaluates the CEL comparisons webhooks commonly use, <c>request.userInfo.username == 'x'</c> and
/// <c>!= 'x'</c>, joined by <c>&amp;&amp;</c>; any other expression is an evaluation error, which, as in the
/// API server, leaves the decision to <c>failurePolicy</c> (Ignore: not called; Fail: the request fails).
/// </summary>
internal static partial class MatchConditions
{
    /// <summary>True when every condition holds; throws <see cref="InvalidOperationException"/> for one KubeSim cannot evaluate.</summary>
    public static bool Hold(JsonObject hook, string username)
    {
        foreach (var condition in (hook["matchConditions"] as JsonArray ?? []).OfType<JsonObject>())
        {
            var expression = (string?)condition["expression"] ?? "";
            foreach (var term in expression.Split("&&", StringSplitOptions.TrimEntries))
            {
                var match = Comparison().Match(term);
                if (!match.Success)
                {
                    throw new InvalidOperationException($"matchCondition \"{(string?)condition["name"]}\": KubeSim cannot evaluate {expression}");
                }

                var value = match.Groups["value"].Value.Replace("\\'", "'", StringComparison.Ordinal);
                if ((username == value) != (match.Groups["operator"].Value == "=="))
                {
                    return false;
                }
            }
        }

        return true;
    }

    [GeneratedRegex(@"^request\.userInfo\.username\s*(?<operator>==|!=)\s*'(?<value>(?:[^'\\]|\\.)*)'$")]
    private static partial Regex Comparison();
}
