using GitOpsReverser.Api.V1Alpha1;

namespace GitOpsReverser.CrdGen;

/// <summary>Every file the typed API generates, by path relative to the repository root, with its content.</summary>
internal static class GeneratedFiles
{
    /// <summary>The manual's reference pages, one per custom resource.</summary>
    public const string SpecFolder = "docs/spec/v1alpha1";

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

        foreach (var tables in Tables.GroupBy(table => table.Page))
        {
            var path = Path.Combine(SpecFolder, tables.Key);
            var text = File.ReadAllText(Path.Combine(repositoryRoot, path));
            foreach (var table in tables)
            {
                text = Splice(path, text, table.Name, ReferenceTables.Of(table.Part, withDefaults: !table.Part.Name.EndsWith("Status", StringComparison.Ordinal)));
            }

            files[path] = text;
        }

        return files;
    }

    /// <summary>The reference pages' generated tables, each between <c>&lt;!-- generated: NAME --&gt;</c> and <c>&lt;!-- end generated --&gt;</c>.</summary>
    private static readonly (string Page, string Name, Type Part)[] Tables =
    [
        ("gitrepoconfig.md", "GitRepoConfig spec", typeof(GitRepoConfigSpec)),
        ("gitrepoconfig.md", "GitRepoConfig status", typeof(GitRepoConfigStatus)),
        ("watchrule.md", "WatchRule spec", typeof(WatchRuleSpec)),
        ("watchrule.md", "rule status", typeof(RuleStatus)),
        ("clusterwatchrule.md", "ClusterWatchRule spec", typeof(ClusterWatchRuleSpec)),
        ("clusterwatchrule.md", "rule status", typeof(RuleStatus)),
    ];

    private static string Splice(string path, string text, string name, string table)
    {
        var start = $"<!-- generated: {name} -->\n";
        const string end = "<!-- end generated -->";
        var from = text.IndexOf(start, StringComparison.Ordinal);
        var to = from < 0 ? -1 : text.IndexOf(end, from, StringComparison.Ordinal);
        if (to < 0)
        {
            throw new InvalidOperationException($"{path} has no \"{start.Trim()}\" … \"{end}\" section");
        }

        return text[..(from + start.Length)] + "\n" + table + "\n" + text[to..];
    }
}
