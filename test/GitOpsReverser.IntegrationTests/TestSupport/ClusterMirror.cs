using System.Text.Json.Nodes;
using GitOpsReverser.Git.Layout;
using GitOpsReverser.Manifests;
using GitOpsReverser.Sanitizing;

namespace GitOpsReverser.IntegrationTests.TestSupport;

/// <summary>
/// What the repository should hold for a cluster's objects of one kind: every object's path and its
/// sanitized, canonical YAML, computed here from the API server's current list.
/// </summary>
internal static class ClusterMirror
{
    public static async Task<Dictionary<string, string>> ExpectedAsync(HttpClient http, string collectionPath, string apiVersion, string kind)
    {
        var list = JsonNode.Parse(await http.GetStringAsync(collectionPath))!.AsObject();
        var sanitizer = TestSanitizer.Create();
        var layout = new RepositoryLayout();
        var expected = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var item in (list["items"] as JsonArray ?? []).OfType<JsonObject>())
        {
            item["apiVersion"] = apiVersion;
            item["kind"] = kind;
            var manifest = (MappingNode)JsonManifestReader.Read(System.Text.Encoding.UTF8.GetBytes(item.ToJsonString()))!;
            var result = sanitizer.Sanitize(manifest);
            expected[layout.PathFor(result.Identity)] = CanonicalYaml.Write(result.Manifest!);
        }

        return expected;
    }

    /// <summary>The differences between the files under <paramref name="folder"/> in the remote's main branch and <paramref name="expected"/>; empty when they match exactly.</summary>
    public static List<string> Differences(string remote, string folder, IReadOnlyDictionary<string, string> expected)
    {
        // One commit throughout: the operator may push while the files are compared.
        var head = GitCli.Run(remote, "rev-parse", "main").Trim();
        var files = GitCli.Files(remote, head).Where(path => path.StartsWith(folder, StringComparison.Ordinal)).ToHashSet(StringComparer.Ordinal);
        var differences = new List<string>();
        differences.AddRange(expected.Keys.Where(path => !files.Contains(path)).Select(path => $"missing {path}"));
        differences.AddRange(files.Where(path => !expected.ContainsKey(path)).Select(path => $"extra {path}"));
        differences.AddRange(expected.Where(pair => files.Contains(pair.Key) && GitCli.Show(remote, head, pair.Key) != pair.Value)
            .Select(pair => $"different {pair.Key}"));
        return differences;
    }

    /// <summary>Problems with the branch's history: merge commits, or commits that change nothing (a change committed twice).</summary>
    public static List<string> HistoryProblems(string remote)
    {
        var problems = new List<string>();
        var commits = GitCli.Log(remote, "%H %T %P");
        for (var i = 0; i < commits.Count; i++)
        {
            var parts = commits[i].Split(' ');
            if (parts.Length > 3)
            {
                problems.Add($"merge commit {parts[0]}");
            }

            if (parts.Length == 3 && i + 1 < commits.Count && commits[i + 1].Split(' ')[1] == parts[1])
            {
                problems.Add($"commit {parts[0]} changes nothing: {GitCli.Run(remote, "log", "-1", "--format=%s", parts[0]).Trim()}");
            }
        }

        return problems;
    }
}
