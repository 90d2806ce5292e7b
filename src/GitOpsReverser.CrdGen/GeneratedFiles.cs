using GitOpsReverser.Api.V1Alpha1;

namespace GitOpsReverser.CrdGen;

/// <summary>Every file the typed API generates, by path relative to the repository root, with its content.</summary>
internal static class GeneratedFiles
{
    public const string Readme = "README.md";

    private const string Header = "# Generated from src/GitOpsReverser.Api by ./build.sh --target=Crds: edit the types, not this file.\n";

    public static IReadOnlyDictionary<string, string> For(string repositoryRoot)
    {
        var files = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var kind in CrdBuilder.Kinds)
        {
            var yaml = Header + YamlText.Of(CrdBuilder.Build(kind));
            files[Path.Combine("deploy", "crds", CrdBuilder.FileName(kind))] = yaml;
            files[Path.Combine("deploy", "charts", "gitops-reverser", "crds", CrdBuilder.FileName(kind))] = yaml;
        }

        var readme = File.ReadAllText(Path.Combine(repositoryRoot, Readme));
        foreach (var (name, part) in Tables)
        {
            readme = Splice(readme, name, ReferenceTables.Of(part, withDefaults: !part.Name.EndsWith("Status", StringComparison.Ordinal)));
        }

        files[Readme] = readme;
        return files;
    }

    /// <summary>README's generated tables, each between <c>&lt;!-- generated: NAME --&gt;</c> and <c>&lt;!-- end generated --&gt;</c>.</summary>
    private static readonly (string Name, Type Part)[] Tables =
    [
        ("GitRepoConfig spec", typeof(GitRepoConfigSpec)),
        ("GitRepoConfig status", typeof(GitRepoConfigStatus)),
        ("WatchRule spec", typeof(WatchRuleSpec)),
        ("ClusterWatchRule spec", typeof(ClusterWatchRuleSpec)),
        ("rule status", typeof(RuleStatus)),
    ];

    private static string Splice(string text, string name, string table)
    {
        var start = $"<!-- generated: {name} -->\n";
        const string end = "<!-- end generated -->";
        var from = text.IndexOf(start, StringComparison.Ordinal);
        var to = from < 0 ? -1 : text.IndexOf(end, from, StringComparison.Ordinal);
        if (to < 0)
        {
            throw new InvalidOperationException($"{Readme} has no \"{start.Trim()}\" … \"{end}\" section");
        }

        return text[..(from + start.Length)] + "\n" + table + "\n" + text[to..];
    }
}
