using GitOpsReverser.KubeSim.Api;

namespace GitOpsReverser.KubeSim.Storage;

/// <summary>
/// A parsed <c>labelSelector</c>: <c>k=v</c>, <c>k==v</c>, <c>k!=v</c>, <c>k in (a,b)</c>,
/// <c>k notin (a,b)</c>, <c>k</c> and <c>!k</c>, joined by commas (all must hold).
/// </summary>
internal sealed class LabelSelector
{
    private readonly List<Requirement> requirements;

    private LabelSelector(List<Requirement> requirements) => this.requirements = requirements;

    public static LabelSelector? Parse(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        var requirements = new List<Requirement>();
        foreach (var part in SplitTopLevel(text))
        {
            requirements.Add(ParseRequirement(part.Trim(), text));
        }

        return new LabelSelector(requirements);
    }

    public bool Matches(IReadOnlyDictionary<string, string> labels)
    {
        foreach (var requirement in requirements)
        {
            if (!requirement.Matches(labels))
            {
                return false;
            }
        }

        return true;
    }

    private static IEnumerable<string> SplitTopLevel(string text)
    {
        var depth = 0;
        var start = 0;
        for (var i = 0; i < text.Length; i++)
        {
            switch (text[i])
            {
                case '(':
                    depth++;
                    break;
                case ')':
                    depth--;
                    break;
                case ',' when depth == 0:
                    yield return text[start..i];
                    start = i + 1;
                    break;
            }
        }

        yield return text[start..];
    }

    private static Requirement ParseRequirement(string part, string whole)
    {
        if (part.Length == 0)
        {
            throw Invalid(whole);
        }

        if (part[0] == '!')
        {
            return new Requirement(CheckKey(part[1..].Trim(), whole), Operator.DoesNotExist, []);
        }

        foreach (var (token, op) in new[] { ("!=", Operator.NotEquals), ("==", Operator.Equals), ("=", Operator.Equals) })
        {
            var index = part.IndexOf(token, StringComparison.Ordinal);
            if (index > 0)
            {
                return new Requirement(CheckKey(part[..index].Trim(), whole), op, [part[(index + token.Length)..].Trim()]);
            }
        }

        foreach (var (token, op) in new[] { (" notin ", Operator.NotIn), (" in ", Operator.In) })
        {
            var index = part.IndexOf(token, StringComparison.Ordinal);
            if (index > 0)
            {
                var set = part[(index + token.Length)..].Trim();
                if (set.Length < 2 || set[0] != '(' || set[^1] != ')')
                {
                    throw Invalid(whole);
                }

                var values = set[1..^1].Split(',', StringSplitOptions.TrimEntries);
                return new Requirement(CheckKey(part[..index].Trim(), whole), op, [.. values]);
            }
        }

        return new Requirement(CheckKey(part, whole), Operator.Exists, []);
    }

    private static string CheckKey(string key, string whole)
    {
        if (key.Length == 0 || key.Any(c => char.IsWhiteSpace(c) || c is '(' or ')' or '!' or '=' or ','))
        {
            throw Invalid(whole);
        }

        return key;
    }

    private static ApiException Invalid(string text) =>
        ApiException.BadRequest($"unable to parse requirement: found '{text}', expected: identifier");

    private enum Operator
    {
        Equals,
        NotEquals,
        In,
        NotIn,
        Exists,
        DoesNotExist,
    }

    private sealed record Requirement(string Key, Operator Op, string[] Values)
    {
        public bool Matches(IReadOnlyDictionary<string, string> labels)
        {
            var has = labels.TryGetValue(Key, out var value);
            return Op switch
            {
                Operator.Equals or Operator.In => has && Values.Contains(value),
                Operator.NotEquals or Operator.NotIn => !has || !Values.Contains(value),
                Operator.Exists => has,
                _ => !has,
            };
        }
    }
}
