using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using GitOpsReverser.Git;
using GitOpsReverser.Manifests;
using LibGit2Sharp;

namespace GitOpsReverser.Capture;

/// <summary>
/// The changes of a <c>[RESYNC]</c> commit: every collected object whose file is missing or differs (by
/// blob id, without reading the file), and every file under the owned paths that no collected object
/// has, unless its kind's folder was skipped (a resource the operator may not list), in path order.
/// </summary>
internal static class ResyncPlan
{
    public static List<GitChange> Changes(
        IReadOnlyDictionary<string, (byte[] Yaml, ChangeDescription Description)> desired,
        IReadOnlyDictionary<string, ObjectId> files,
        Func<string, bool> owned,
        IReadOnlySet<string> skippedKindFolders,
        string baseFolder,
        DateTimeOffset now)
    {
        var changes = new List<GitChange>();
        foreach (var (path, (yaml, description)) in desired.OrderBy(pair => pair.Key, StringComparer.Ordinal))
        {
            var exists = files.TryGetValue(path, out var id);
            if (!exists || id != BlobId(yaml))
            {
                changes.Add(new GitChange(path, yaml, description with { Operation = exists ? ChangeOperation.Update : ChangeOperation.Create }));
            }
        }

        foreach (var path in files.Keys.Where(path => owned(path) && !desired.ContainsKey(path)).Order(StringComparer.Ordinal))
        {
            var parts = (baseFolder.Length == 0 ? path : path[(baseFolder.Length + 1)..]).Split('/');
            if (IdentityOf(parts) is { } identity && !skippedKindFolders.Contains(parts[^2]))
            {
                changes.Add(new GitChange(path, null, new ChangeDescription(ChangeOperation.Delete, identity, null, now, null)));
            }
        }

        return changes;
    }

    /// <summary>Git's id for a blob holding <paramref name="content"/>.</summary>
    public static ObjectId BlobId(byte[] content)
    {
        var header = Encoding.ASCII.GetBytes($"blob {content.Length.ToString(CultureInfo.InvariantCulture)}\0");
        using var sha1 = IncrementalHash.CreateHash(HashAlgorithmName.SHA1);
        sha1.AppendData(header);
        sha1.AppendData(content);
        return new ObjectId(sha1.GetHashAndReset());
    }

    // A file the repository holds but the cluster no longer has: its identity, read back from the layout.
    private static ObjectIdentity? IdentityOf(string[] parts)
    {
        var name = FileNameEncoding.Decode(parts[^1]);
        return parts switch
        {
            [RepositoryLayout.NamespacedFolder, var ns, var kind, _] when name is not null => new ObjectIdentity("", KindOf(kind), ns, name),
            [RepositoryLayout.ClusterScopedFolder, var kind, _] when name is not null => new ObjectIdentity("", KindOf(kind), null, name),
            _ => null,
        };
    }

    private static string KindOf(string folder) => folder.Split('.', 2)[0];
}
