using GitOpsReverser.Manifests;

namespace GitOpsReverser.Sanitizing;

/// <summary>
/// <see cref="FieldRuleTable.All"/> compiled per kind: placeholders expanded and paths split once, so applying
/// them is a walk down the object with no string work.
/// </summary>
internal sealed class CompiledFieldRules
{
    private static readonly string[] ContainerLists = ["containers", "initContainers", "ephemeralContainers"];
    private static readonly string[] Probes = ["livenessProbe", "readinessProbe", "startupProbe"];

    private readonly Dictionary<(string Group, string Kind), CompiledRule[]> rulesByKind;

    public CompiledFieldRules(IEnumerable<FieldRule> rules)
    {
        rulesByKind = rules
            .SelectMany(rule => rule.Kinds.SelectMany(kind => rule.Path.Split('|').SelectMany(path => Expand(path, kind)).Select(path =>
                (Key: (FieldRuleTable.BuiltInGroups[kind], kind), Rule: new CompiledRule(rule, Parse(path))))))
            .GroupBy(entry => entry.Key, entry => entry.Rule)
            .ToDictionary(group => group.Key, group => group.ToArray());
    }

    public static CompiledFieldRules Default { get; } = new(FieldRuleTable.All);

    /// <summary>Removes the matching fields; returns the ids of the rules that removed something into <paramref name="applied"/>.</summary>
    public void Apply(MappingNode manifest, ObjectIdentity identity, bool removeDefaults, ICollection<string>? applied)
    {
        if (!rulesByKind.TryGetValue((identity.Group, identity.Kind), out var rules))
        {
            return;
        }

        foreach (var rule in rules)
        {
            if (removeDefaults || rule.Rule.Category == FieldRuleCategory.ServerAssigned)
            {
                Remove(manifest, rule, 0, applied);
            }
        }
    }

    /// <summary>
    /// Walks <paramref name="rule"/>'s path from <paramref name="node"/> and removes the field where it matches.
    /// Returns true when that removal left <paramref name="node"/> empty, so the caller prunes it too; maps that
    /// were empty to begin with (<c>emptyDir: {}</c>) are never touched.
    /// </summary>
    private static bool Remove(ManifestNode node, CompiledRule rule, int depth, ICollection<string>? applied)
    {
        if (node is not MappingNode mapping || rule.Path[depth] is not { } key)
        {
            return false;
        }

        var child = mapping[key];
        if (child is null)
        {
            return false;
        }

        if (depth == rule.Path.Length - 1)
        {
            if (rule.Rule.EachItem)
            {
                if (child is not SequenceNode items || items.Items.RemoveAll(item => rule.Rule.Matches(mapping, item)) == 0)
                {
                    return false;
                }

                applied?.Add(rule.Rule.Id);
                if (items.Count > 0)
                {
                    return false;
                }

                mapping.Remove(key);
                return mapping.Count == 0;
            }

            if (!rule.Rule.Matches(mapping, child))
            {
                return false;
            }

            mapping.Remove(key);
            applied?.Add(rule.Rule.Id);
            return mapping.Count == 0;
        }

        if (rule.Path[depth + 1] is null)
        {
            // List items are walked but never removed: an item's position can carry meaning.
            if (child is SequenceNode sequence)
            {
                foreach (var item in sequence.Items)
                {
                    Remove(item, rule, depth + 2, applied);
                }
            }

            return false;
        }

        if (!Remove(child, rule, depth + 1, applied))
        {
            return false;
        }

        mapping.Remove(key);
        return mapping.Count == 0;
    }

    private static IEnumerable<string> Expand(string path, string kind)
    {
        FieldRuleTable.PodTemplatePaths.TryGetValue(kind, out var template);
        var pod = template is null ? "spec" : $"{template}.spec";
        var expanded = path.Contains("{template}", StringComparison.Ordinal) && template is null
            ? throw new InvalidOperationException($"{kind} has no pod template for rule path {path}")
            : path.Replace("{container}", "{pod}.{containers}[*]", StringComparison.Ordinal)
                .Replace("{pod}", pod, StringComparison.Ordinal)
                .Replace("{template}", template, StringComparison.Ordinal);
        IEnumerable<string> paths = [expanded];
        paths = paths.SelectMany(p => p.Contains("{containers}", StringComparison.Ordinal)
            ? ContainerLists.Select(list => p.Replace("{containers}", list, StringComparison.Ordinal))
            : [p]);
        return paths.SelectMany(p => p.Contains("{probe}", StringComparison.Ordinal)
            ? Probes.Select(probe => p.Replace("{probe}", probe, StringComparison.Ordinal))
            : [p]);
    }

    /// <summary>Splits a dotted path; a null segment stands for <c>[*]</c>, and <c>[key]</c> is a literal key.</summary>
    private static string?[] Parse(string path)
    {
        var segments = new List<string?>();
        var position = 0;
        while (position < path.Length)
        {
            if (path[position] == '[')
            {
                var close = path.IndexOf(']', position);
                var inside = path[(position + 1)..close];
                segments.Add(inside == "*" ? null : inside);
                position = close + 1;
            }
            else
            {
                var end = path.IndexOfAny(['.', '['], position);
                end = end < 0 ? path.Length : end;
                segments.Add(path[position..end]);
                position = end;
            }

            if (position < path.Length && path[position] == '.')
            {
                position++;
            }
        }

        return segments[^1] is null
            ? throw new InvalidOperationException($"rule path {path} must end at a field, not at list items")
            : [.. segments];
    }

    private sealed record CompiledRule(FieldRule Rule, string?[] Path);
}
