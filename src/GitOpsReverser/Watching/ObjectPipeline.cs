using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using GitOpsReverser.Git;
using GitOpsReverser.Manifests;
using GitOpsReverser.Sanitizing;

namespace GitOpsReverser.Watching;

/// <summary>
/// From a reflector's events to Git changes: each object is sanitized and written as canonical YAML;
/// the <see cref="ResourceCache"/> drops events whose output did not change (status, managedFields and
/// resourceVersion churn); what is left becomes a CREATE, UPDATE or DELETE for the repository. The user
/// is the object's last managedFields manager (for example <c>kubectl-edit</c>), read before sanitizing.
/// Changes last written by an excluded field manager (a GitOps controller applying what Git already
/// holds) are recorded in the cache but not committed, so hybrid GitOps does not ping-pong.
/// </summary>
internal sealed class ObjectPipeline(
    WatchedResource resource,
    Sanitizer sanitizer,
    RepositoryLayout layout,
    ResourceCache cache,
    Func<GitChange, CancellationToken, ValueTask> commit,
    TimeProvider time,
    IReadOnlySet<string>? excludedFieldManagers = null) : IReflectorHandler
{
    public async ValueTask HandleAsync(ReflectorEvent change, CancellationToken cancellationToken)
    {
        switch (change)
        {
            case ReflectorEvent.Upserted upserted:
                await UpsertAsync(upserted.Object, cancellationToken);
                break;
            case ReflectorEvent.Deleted deleted:
                await DeleteAsync(deleted, cancellationToken);
                break;
        }
    }

    private async ValueTask UpsertAsync(JsonObject obj, CancellationToken cancellationToken)
    {
        var (manager, managedAt) = LastManager(obj);
        var version = (string?)obj["metadata"]?["resourceVersion"];
        var uid = Guid.TryParse((string?)obj["metadata"]?["uid"], out var parsed) ? parsed : Guid.Empty;
        if (JsonManifestReader.Read(JsonSerializer.SerializeToUtf8Bytes(obj)) is not MappingNode manifest)
        {
            return;
        }

        var result = sanitizer.Sanitize(manifest);
        if (result.IsSkipped)
        {
            return;
        }

        var path = layout.PathFor(result.Identity);
        var yaml = Encoding.UTF8.GetBytes(CanonicalYaml.Write(result.Manifest!));
        var existed = cache.TryGet(path, out _, out _);
        if (!cache.Observe(path, uid, long.TryParse(version, NumberStyles.None, CultureInfo.InvariantCulture, out var rv) ? rv : 0, yaml)
            || (manager is not null && excludedFieldManagers?.Contains(manager) == true))
        {
            return;
        }

        var operation = existed ? ChangeOperation.Update : ChangeOperation.Create;
        await commit(new GitChange(path, yaml, new ChangeDescription(operation, result.Identity, manager, managedAt ?? time.GetUtcNow(), version)),
            cancellationToken);
    }

    private async ValueTask DeleteAsync(ReflectorEvent.Deleted deleted, CancellationToken cancellationToken)
    {
        var separator = deleted.Key.IndexOf('/', StringComparison.Ordinal);
        var identity = new ObjectIdentity(resource.ApiVersion, resource.Kind,
            separator < 0 ? null : deleted.Key[..separator], separator < 0 ? deleted.Key : deleted.Key[(separator + 1)..]);
        var path = layout.PathFor(identity);
        if (!cache.Remove(path))
        {
            return;
        }

        var version = (string?)deleted.LastState?["metadata"]?["resourceVersion"];
        await commit(new GitChange(path, null, new ChangeDescription(ChangeOperation.Delete, identity, null, time.GetUtcNow(), version)),
            cancellationToken);
    }

    // The manager of the most recent managedFields entry, and when it wrote.
    private static (string? Manager, DateTimeOffset? Time) LastManager(JsonObject obj)
    {
        string? manager = null;
        DateTimeOffset? latest = null;
        foreach (var entry in obj["metadata"]?["managedFields"] as JsonArray ?? [])
        {
            if (DateTimeOffset.TryParse((string?)entry?["time"], CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var when)
                && (latest is null || when >= latest))
            {
                latest = when;
                manager = (string?)entry?["manager"];
            }
        }

        return (manager, latest);
    }
}
