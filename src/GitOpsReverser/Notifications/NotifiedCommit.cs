using System.Text;
using System.Text.Json.Nodes;
using GitOpsReverser.Git.History;
using GitOpsReverser.Git.Layout;
using GitOpsReverser.Manifests;

namespace GitOpsReverser.Notifications;

/// <summary>One object a commit changed, as a message tells it: never a value, only the names of the fields that changed.</summary>
internal sealed record NotifiedFile(string Operation, string KindFolder, string? Namespace, string Name, IReadOnlyList<string> Fields, int MoreFields)
{
    public string Kind => KindFolder.Split('.', 2)[0];

    public override string ToString() => $"{Kind}/{Name}{(Namespace is null ? "" : $" in {Namespace}")}";
}

/// <summary>A pushed commit as a message tells it: subject, who, when, its link, and the objects it changed.</summary>
internal sealed record NotifiedCommit(string Id, DateTimeOffset When, string Who, string Subject, string? Link, IReadOnlyList<NotifiedFile> Files)
{
    public const int MaxFields = 10;

    /// <summary>The commit's files as a message tells them, with the names of the fields each change touched.</summary>
    public static NotifiedCommit Of(PushedCommit commit, NotificationSettings settings) =>
        new(commit.Id, commit.When, commit.Who, commit.Subject, settings.LinkTo(commit.Id), [.. commit.Files.Select(File).OfType<NotifiedFile>()]);

    private static NotifiedFile? File(PushedFile file)
    {
        var parts = file.Path.Split('/');
        var (ns, kind, name) = parts switch
        {
            [.., RepositoryLayout.NamespacedFolder, var space, var folder, var fileName] => (space, folder, fileName),
            [.., RepositoryLayout.ClusterScopedFolder, var folder, var fileName] => ((string?)null, folder, fileName),
            _ => (null, "", ""),
        };
        if (kind.Length == 0)
        {
            return null;
        }

        var fields = file.Operation == "UPDATE" ? ChangedFields(file.Before, file.After) : [];
        return new NotifiedFile(file.Operation, kind, ns, FileNameEncoding.Decode(name) ?? name[..^".yaml".Length], [.. fields.Take(MaxFields)], Math.Max(0, fields.Count - MaxFields));
    }

    // The names of the fields whose values differ: a SOPS file's own block and every value are left out.
    private static List<string> ChangedFields(byte[]? before, byte[]? after)
    {
        var old = JsonLeaves.Of(Read(before));
        var current = JsonLeaves.Of(Read(after));
        return [.. old.Keys.Union(current.Keys).Where(pointer => !pointer.StartsWith("/sops/", StringComparison.Ordinal))
            .Where(pointer => !old.TryGetValue(pointer, out var a) || !current.TryGetValue(pointer, out var b) || !JsonNode.DeepEquals(a, b))
            .Order(StringComparer.Ordinal).Select(JsonLeaves.Display)];
    }

    private static JsonObject? Read(byte[]? content)
    {
        if (content is null)
        {
            return null;
        }

        var manifest = ManifestReader.ReadObjects(Encoding.UTF8.GetString(content)).FirstOrDefault()?.Manifest;
        return manifest is null ? null : ManifestJson.ToJsonNode(manifest) as JsonObject;
    }
}
