using GitOpsReverser.Encryption;
using GitOpsReverser.Git;
using GitOpsReverser.Git.Layout;
using GitOpsReverser.Manifests;

namespace GitOpsReverser.Capture;

/// <summary>
/// The changes of a <c>[RESYNC]</c> commit: every collected object whose file is missing or differs (by
/// blob id, without reading the file; an encrypted Secret by the stamp and recipients its file names, read
/// beforehand), and every file under the owned paths that no collected object has, unless its
/// kind's folder was skipped (a resource the operator may not list), in path order; a deletion the attribution
/// webhook saw during the sync names its user. An encrypted Secret whose
/// content is unchanged but whose recipients changed is encrypted again, and its line in the message says so.
/// </summary>
internal static class ResyncPlan
{
    /// <summary>What a resync message says of a Secret encrypted again for the GitRepoConfig's new age recipients.</summary>
    public const string RekeyedNote = "re-encrypted for the new age recipients";

    public static List<GitChange> Changes(
        IReadOnlyDictionary<string, (CapturedFile File, ChangeDescription Description)> desired,
        IReadOnlyDictionary<string, BlobId> files,
        IReadOnlyDictionary<string, SopsFile.Header> headers,
        Func<string, bool> owned,
        IReadOnlySet<string> skippedKindFolders,
        string baseFolder,
        DateTimeOffset now,
        IReadOnlyDictionary<string, (string User, IReadOnlyList<string> Groups)>? deletedBy = null)
    {
        var changes = new List<GitChange>();
        foreach (var (path, (file, description)) in desired.OrderBy(pair => pair.Key, StringComparer.Ordinal))
        {
            var exists = files.TryGetValue(path, out var id);
            var operation = exists ? ChangeOperation.Update : ChangeOperation.Create;
            if (!file.IsEncrypted)
            {
                if (!exists || id != BlobId.Of(file.Sanitized))
                {
                    changes.Add(new GitChange(path, file.Sanitized, description with { Operation = operation }));
                }
            }
            else if (headers.GetValueOrDefault(path) is var committed && (committed is null || !file.Matches(committed)))
            {
                changes.Add(new GitChange(path, file.Content(), description with
                {
                    Operation = operation,
                    Note = committed?.Stamp == file.Stamp ? RekeyedNote : null,
                }));
            }
        }

        foreach (var path in files.Keys.Where(path => owned(path) && !desired.ContainsKey(path)).Order(StringComparer.Ordinal))
        {
            var parts = (baseFolder.Length == 0 ? path : path[(baseFolder.Length + 1)..]).Split('/');
            if (IdentityOf(parts) is { } identity && !skippedKindFolders.Contains(parts[^2]))
            {
                var description = new ChangeDescription(ChangeOperation.Delete, identity, null, now, null);
                changes.Add(new GitChange(path, null, deletedBy?.GetValueOrDefault(path) is ({ } user, var groups)
                    ? description with { User = user, Groups = groups }
                    : description));
            }
        }

        return changes;
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
