using System.Text.Json.Nodes;
using GitOpsReverser.Capture;
using GitOpsReverser.Git.Layout;
using GitOpsReverser.Kube;
using GitOpsReverser.Manifests;
using GitOpsReverser.Sanitizing;
using GitOpsReverser.Specs;

namespace GitOpsReverser.Cli;

/// <summary>One preview: what the rule would capture into the repository, computed from the cluster as the operator would.</summary>
internal static partial class PreviewCommand
{
    private sealed class Preview(
        ApiServerClient api, ApiDiscovery discovery, CaptureRule rule, RepositoryLayout layout, string repoSource, bool all, TextWriter output, SecretPolicy? secretPolicy)
    {
        public async Task WriteAsync(CancellationToken cancellationToken)
        {
            var discovered = await discovery.DiscoverAsync(cancellationToken);
            var namespaceLabels = new Dictionary<string, JsonObject?>(StringComparer.Ordinal);
            var namespaces = discovered.First(resource => resource is { Group: "", Kind: "Namespace" }).ToWatched();
            foreach (var ns in await ListAsync(namespaces, cancellationToken))
            {
                var metadata = ns.GetMapping("metadata");
                namespaceLabels[metadata?.GetString("name") ?? ""] = metadata?.GetMapping("labels") is { } labels ? (JsonObject?)ManifestJson.ToJsonNode(labels) : null;
            }

            var covered = namespaceLabels.Where(pair => rule.CoversNamespace(pair.Key, pair.Value)).Select(pair => pair.Key).Order(StringComparer.Ordinal).ToList();
            await output.WriteLineAsync($"{rule.Id} -> {rule.Repo} ({repoSource})");
            await output.WriteLineAsync(rule.AllowsClusterScoped && rule.NamespaceSelector is null
                ? $"Namespaces: all {covered.Count}, and cluster-scoped objects"
                : $"Namespaces: {covered.Count} ({string.Join(", ", covered.Take(10))}{(covered.Count > 10 ? ", ..." : "")}){(rule.AllowsClusterScoped ? ", and cluster-scoped objects" : "")}");

            var resolved = new List<(WatchedResource Resource, bool Wildcard)>();
            foreach (var entry in rule.Resources)
            {
                var matches = ResourceSelection.Resolve(discovered, entry.ApiVersion, entry.Kind).Where(resource => resource.Namespaced || rule.AllowsClusterScoped).ToList();
                if (matches.Count == 0)
                {
                    await output.WriteLineAsync($"warning: apiVersion {entry.ApiVersion} kind {entry.Kind} matches no served resource{(rule.AllowsClusterScoped ? "" : " a WatchRule can capture (namespaced kinds only)")}");
                }

                resolved.AddRange(matches.Select(match => (match.ToWatched(), entry.IsWildcardKind)));
            }

            var paths = new List<string>();
            var leftOut = new List<string>();
            var counts = new List<(string Resource, string Count)>();
            var secrets = 0;
            var ignores = rule.IgnoreFields ?? [];
            var ignored = new long[ignores.Count];
            var examples = new string?[ignores.Count];
            foreach (var group in resolved.GroupBy(item => item.Resource).OrderBy(group => group.Key.ToString(), StringComparer.Ordinal))
            {
                var resource = group.Key;
                var wildcard = group.All(item => item.Wildcard);
                var (captured, skipped) = (0, 0);
                List<MappingNode> objects;
                try
                {
                    objects = await ListAsync(resource, cancellationToken);
                }
                catch (ApiServerException exception)
                {
                    counts.Add(($"{resource}/{resource.Version}", $"cannot list: {exception.Message}"));
                    continue;
                }

                foreach (var obj in objects)
                {
                    var metadata = obj.GetMapping("metadata");
                    var ns = metadata?.GetString("namespace");
                    var name = metadata?.GetString("name") ?? "";
                    if (ns is null ? !rule.AllowsClusterScoped : !covered.Contains(ns))
                    {
                        continue;
                    }

                    if (CaptureFilter.LeftOutBecause(rule, wildcard, resource, obj) is { } reason)
                    {
                        skipped++;
                        leftOut.Add($"{resource.Kind} {(ns is null ? name : $"{ns}/{name}")}: {reason}");
                        continue;
                    }

                    captured++;
                    secrets += resource is { Group: "", Kind: "Secret" } ? 1 : 0;
                    var before = ignored.ToArray();
                    FieldIgnoring.Apply((MappingNode)obj.DeepClone(), ignores, ignored);
                    for (var i = 0; i < ignores.Count; i++)
                    {
                        examples[i] ??= ignored[i] > before[i] ? $"{resource.Kind} {(ns is null ? name : $"{ns}/{name}")}" : null;
                    }

                    paths.Add(layout.PathFor(new ObjectIdentity(resource.ApiVersion, resource.Kind, ns, name)));
                }

                counts.Add(($"{resource}/{resource.Version}", $"{captured} object(s){(skipped > 0 ? $", {skipped} left out" : "")}"));
            }

            await output.WriteLineAsync();
            await output.WriteLineAsync($"Resource types ({counts.Count}):");
            var width = counts.Count == 0 ? 0 : counts.Max(count => count.Resource.Length);
            foreach (var (resource, count) in counts)
            {
                await output.WriteLineAsync($"  {resource.PadRight(width)}   {count}");
            }

            paths.Sort(StringComparer.Ordinal);
            await output.WriteLineAsync();
            await output.WriteLineAsync(all || paths.Count <= ShownPaths
                ? $"Paths ({paths.Count}):"
                : $"Paths (the first {ShownPaths} of {paths.Count}; --all lists every one):");
            foreach (var path in all ? paths : paths.Take(ShownPaths))
            {
                await output.WriteLineAsync($"  {path}");
            }

            if (leftOut.Count > 0)
            {
                await output.WriteLineAsync();
                await output.WriteLineAsync($"Left out ({leftOut.Count}):");
                foreach (var line in leftOut.Order(StringComparer.Ordinal))
                {
                    await output.WriteLineAsync($"  {line}");
                }
            }

            if (ignores.Count > 0)
            {
                await output.WriteLineAsync();
                await output.WriteLineAsync($"Ignored fields ({ignores.Count} entries; not written, and a change to them alone makes no commit):");
                for (var i = 0; i < ignores.Count; i++)
                {
                    await output.WriteLineAsync(ignored[i] == 0
                        ? $"  {ignores[i]}: matches no object (the rule's status would name it)"
                        : $"  {ignores[i]}: removes fields from {ignored[i]} object(s), such as {examples[i]}");
                }
            }

            if (secrets > 0)
            {
                await output.WriteLineAsync();
                if (secretPolicy == SecretPolicy.Encrypt)
                {
                    await output.WriteLineAsync($"warning: {secrets} Secret(s) would be written with secretPolicy Encrypt: values reach Git only as SOPS " +
                        "ciphertext for the GitRepoConfig's age recipients, but names, keys, labels and annotations are readable.");
                }
                else
                {
                    var policy = secretPolicy?.ToString() ?? "the operator's Sanitizer:SecretPolicy (Fingerprint unless changed)";
                    await output.WriteLineAsync($"warning: {secrets} Secret(s) would be written with secretPolicy {policy}: values never reach Git, " +
                        "but names, keys, labels and annotations do. Set secretPolicy: Skip to leave Secrets out.");
                }
            }

            await output.WriteLineAsync();
            await output.WriteLineAsync("Nothing was written.");
        }

        private async Task<List<MappingNode>> ListAsync(WatchedResource resource, CancellationToken cancellationToken)
        {
            var items = new List<MappingNode>();
            string? continueToken = null;
            do
            {
                var page = await api.ListAsync(resource, continueToken, 500, TimeSpan.FromSeconds(60), cancellationToken);
                items.AddRange(page.Items);
                continueToken = page.Continue;
            }
            while (continueToken is not null);
            return items;
        }
    }
}
