using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using GitOpsReverser.Encryption;
using GitOpsReverser.Git.History;
using GitOpsReverser.Git.Layout;
using GitOpsReverser.Manifests;
using GitOpsReverser.Sanitizing;

namespace GitOpsReverser.Restore;

/// <summary>
/// One object of the repository as a restore sees it: what it was at the commit restored to (<see cref="Desired"/>,
/// null when the repository did not hold it then) and what the repository holds now (<see cref="Tip"/>), both
/// decrypted when SOPS-encrypted; the values Git holds only as fingerprints or <c>&lt;redacted&gt;</c>, which
/// cannot be restored; or why it cannot be read at all. Git holds no owner references (the sanitizer keeps only
/// name, namespace, labels and annotations of metadata): who owns an object is read from the live one.
/// </summary>
internal sealed record RecordedObject(string Path, ObjectIdentity Identity, JsonObject? Desired, JsonObject? Tip)
{
    private Dictionary<string, JsonNode?>? desiredLeaves;
    private Dictionary<string, JsonNode?>? tipLeaves;

    /// <summary>The leaves of <see cref="Desired"/>, made once (a restore compares them several times).</summary>
    public IReadOnlyDictionary<string, JsonNode?> DesiredLeaves => desiredLeaves ??= JsonLeaves.Of(Desired);

    /// <summary>The leaves of <see cref="Tip"/>, made once.</summary>
    public IReadOnlyDictionary<string, JsonNode?> TipLeaves => tipLeaves ??= JsonLeaves.Of(Tip);

    /// <summary>Pointers of values Git holds only as fingerprints or redacted: left as the cluster has them.</summary>
    public IReadOnlySet<string> Unrestorable { get; init; } = new HashSet<string>();

    /// <summary>Why the object cannot be restored before any server is asked (unreadable, encrypted without an identity).</summary>
    public string? Problem { get; init; }

    /// <summary>Whether values are secret: a Secret, or a file that held fingerprints or was encrypted. They are never printed.</summary>
    public bool Sensitive { get; init; }

    /// <summary>
    /// Reads a file of <see cref="RecordedState"/>; <paramref name="identities"/> decrypt SOPS files (none: such files are
    /// refused). With <paramref name="layout"/>, an object whose file is not where the operator writes it (someone put a
    /// ClusterRoleBinding into a ConfigMap's file) is refused: the operator never writes one there.
    /// </summary>
    public static RecordedObject? Read(RecordedFile file, IReadOnlyList<AgeIdentity> identities, RepositoryLayout? layout = null)
    {
        var point = Parse(file.AtPoint, identities);
        var tip = Parse(file.AtTip, identities);
        if ((point.Manifest ?? tip.Manifest) is not { } any || !ObjectIdentity.TryRead(any, out var identity, out _))
        {
            var problem = point.Problem ?? tip.Problem;
            return problem is null ? null : new RecordedObject(file.Path, new ObjectIdentity("v1", "Unknown", null, file.Path), null, null) { Problem = problem };
        }

        if (layout is not null && layout.PathFor(identity) != file.Path)
        {
            return new RecordedObject(file.Path, identity, null, null)
            {
                Problem = $"the file {file.Path} holds {identity.Kind}/{identity.Name}{(identity.Namespace is null ? "" : $" in {identity.Namespace}")}, " +
                    "which the operator writes elsewhere: the repository was edited by hand, and this object is not restored",
            };
        }

        var desired = point.Manifest is null ? null : ManifestJson.ToJsonNode(point.Manifest) as JsonObject;
        var unrestorable = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (pointer, value) in JsonLeaves.Of(desired))
        {
            if (value is JsonValue scalar && scalar.TryGetValue<string>(out var text) && (SecretFingerprint.IsFingerprint(text) || text == SecretScrubber.Redacted))
            {
                unrestorable.Add(pointer);
                if (JsonLeaves.Parent(desired!, pointer) is ({ } parent, { } key))
                {
                    parent.Remove(key);
                    if (parent.Count == 0 && parent.Parent is JsonObject holder && parent.GetPropertyName() is var emptied)
                    {
                        // A Secret none of whose values Git holds is applied without data, not with an empty one.
                        holder.Remove(emptied);
                    }
                }
            }
        }

        return new RecordedObject(file.Path, identity, desired, tip.Manifest is null ? null : ManifestJson.ToJsonNode(tip.Manifest) as JsonObject)
        {
            Unrestorable = unrestorable,
            Problem = point.Problem,
            Sensitive = identity is { Kind: "Secret", Group: "" } || unrestorable.Count > 0 || point.Encrypted || tip.Encrypted,
        };
    }

    private static (MappingNode? Manifest, string? Problem, bool Encrypted) Parse(byte[]? content, IReadOnlyList<AgeIdentity> identities)
    {
        if (content is null)
        {
            return (null, null, false);
        }

        var read = ManifestReader.ReadObjects(Encoding.UTF8.GetString(content)).FirstOrDefault();
        if (read?.Manifest is not { } manifest)
        {
            return (null, $"the file is not a Kubernetes object: {read?.Error ?? "it is empty"}", false);
        }

        if (manifest["sops"] is null)
        {
            return (manifest, null, false);
        }

        if (identities.Count == 0)
        {
            return (manifest, "the file is SOPS-encrypted: give --age-identity FILE with one of its recipients' identities", true);
        }

        try
        {
            SopsDecryptor.Decrypt(manifest, identities);
            return (manifest, null, true);
        }
        catch (CryptographicException exception)
        {
            manifest.Remove("sops");
            return (manifest, $"the file cannot be decrypted: {exception.Message}", true);
        }
    }
}
