using System.Text.Json.Nodes;
using GitOpsReverser.Manifests;

namespace GitOpsReverser.Specs;

/// <summary>
/// A Kubernetes label selector (<c>matchLabels</c> and <c>matchExpressions</c>) as rules use it for
/// <c>namespaceSelector</c> and <c>excludeLabels</c>. An empty selector matches everything.
/// </summary>
internal sealed class LabelMatcher
{
    private readonly IReadOnlyList<Requirement> requirements;

    private LabelMatcher(IReadOnlyList<Requirement> requirements) => this.requirements = requirements;

    public bool IsEmpty => requirements.Count == 0;

    /// <summary>Checks a selector of a rule; throws <see cref="FormatException"/> with a message a user can act on.</summary>
    public static LabelMatcher From(Api.V1Alpha1.LabelSelector? selector, string field)
    {
        var requirements = new List<Requirement>();
        foreach (var (key, value) in selector?.MatchLabels ?? [])
        {
            requirements.Add(new Requirement(key, "In", [value ?? ""]));
        }

        foreach (var expression in selector?.MatchExpressions ?? [])
        {
            var key = expression?.Key ?? "";
            var op = expression?.Operator?.ToString() ?? "";
            var values = (expression?.Values ?? []).Select(value => value ?? "").ToList();
            if (key.Length == 0)
            {
                throw new FormatException($"{field}.matchExpressions: every expression needs a key");
            }

            switch (op)
            {
                case "In" or "NotIn" when values.Count == 0:
                    throw new FormatException($"{field}.matchExpressions: operator {op} on key \"{key}\" needs at least one value");
                case "Exists" or "DoesNotExist" when values.Count > 0:
                    throw new FormatException($"{field}.matchExpressions: operator {op} on key \"{key}\" takes no values");
                case "":
                    throw new FormatException($"{field}.matchExpressions: operator on key \"{key}\" is missing (use In, NotIn, Exists or DoesNotExist)");
                default:
                    requirements.Add(new Requirement(key, op, values));
                    break;
            }
        }

        return new LabelMatcher(requirements);
    }

    /// <summary>True when every requirement holds for <paramref name="labels"/> (null: no labels).</summary>
    public bool Matches(JsonObject? labels) => Matches(key => (string?)labels?[key]);

    /// <summary>True when every requirement holds for <paramref name="labels"/> as read from a watched object (null: no labels).</summary>
    public bool Matches(MappingNode? labels) => Matches(key => labels?.GetString(key));

    private bool Matches(Func<string, string?> label)
    {
        foreach (var requirement in requirements)
        {
            var value = label(requirement.Key);
            var holds = requirement.Operator switch
            {
                "In" => value is not null && requirement.Values.Contains(value),
                "NotIn" => value is null || !requirement.Values.Contains(value),
                "Exists" => value is not null,
                _ => value is null,
            };
            if (!holds)
            {
                return false;
            }
        }

        return true;
    }

    public override string ToString() =>
        string.Join(",", requirements.Select(requirement => requirement.Operator switch
        {
            "In" when requirement.Values.Count == 1 => $"{requirement.Key}={requirement.Values[0]}",
            "Exists" => requirement.Key,
            "DoesNotExist" => "!" + requirement.Key,
            _ => $"{requirement.Key} {requirement.Operator.ToLowerInvariant()} ({string.Join(",", requirement.Values)})",
        }));

    private sealed record Requirement(string Key, string Operator, IReadOnlyList<string> Values);
}
