using System.Globalization;
using System.Text;
using GitOpsReverser.Api;
using GitOpsReverser.Encryption;
using GitOpsReverser.Git;
using GitOpsReverser.Kube;
using GitOpsReverser.Manifests;
using GitOpsReverser.Sanitizing;

namespace GitOpsReverser.Capture;

/// <summary>
/// What one GitRepoConfig captures, between the reflectors and its <see cref="RepoWorker"/>: each object
/// is sanitized with its rule's secret policy and written as canonical YAML; the <see cref="ResourceCache"/>
/// drops events whose output did not change; the rest become commits. After a start or a rule change the
/// capture syncs: until every reflector it needs has listed, objects are collected instead of committed,
/// then the files under the paths the rules own are compared with them and one <c>[RESYNC]</c> commit
/// brings the branch to the cluster's state. Files outside those paths are never touched.
/// A Secret under <see cref="SecretPolicy.Encrypt"/> (the rule's policy, else the GitRepoConfig's) is compared in
/// its fingerprinted form and encrypted for the repository's age recipients only when it is committed.
/// </summary>
internal sealed class RepoCapture : IAsyncDisposable
{
    private readonly Sanitizer sanitizer;
    private readonly TimeProvider time;
    private readonly SemaphoreSlim gate = new(1, 1);
    private readonly CancellationTokenSource stop = new();
    private Task? run;
    private SyncState? sync;

    private readonly Action<int>? resynced;
    private readonly AttributionRecords? attribution;
    private readonly Action<Exception>? failed;

    /// <summary>
    /// A capture for <paramref name="spec"/>; <paramref name="resynced"/> runs when a sync ends, with the number
    /// of changes its resync commit holds, and <paramref name="failed"/> when the worker stops on an error.
    /// </summary>
    public RepoCapture(RepoSpec spec, string fingerprint, IRepoPipeline worker, Sanitizer sanitizer, TimeProvider time,
        Action<int>? resynced = null, Action<Exception>? failed = null, AttributionRecords? attribution = null, SopsEncryptor? encryptor = null)
    {
        Encryptor = encryptor;
        this.attribution = attribution;
        this.resynced = resynced;
        this.failed = failed;
        Spec = spec;
        Fingerprint = fingerprint;
        Worker = worker;
        this.sanitizer = sanitizer;
        this.time = time;
        Layout = new RepositoryLayout(spec.BaseFolder);
        BaseFolder = spec.BaseFolder.Trim().Trim('/');
    }

    public RepoSpec Spec { get; }

    /// <summary>Encrypts Secrets for the GitRepoConfig's age recipients; null when it names none.</summary>
    public SopsEncryptor? Encryptor { get; }

    /// <summary>The spec and credentials this capture was built from; a different one means a new capture.</summary>
    public string Fingerprint { get; }

    public IRepoPipeline Worker { get; }

    public RepositoryLayout Layout { get; }

    public string BaseFolder { get; }

    public ResourceCache Cache { get; } = new();

    /// <summary>True once a sync has ended with its resync commit queued, and no new sync has begun since.</summary>
    public bool Synced => sync is null && run is not null && hasSynced;

    private bool hasSynced;

    /// <summary>The failure that stopped the worker, if one did; the controller then replaces this capture.</summary>
    public Exception? Failure { get; private set; }

    public void Start() => run = Task.Run(async () =>
    {
        try
        {
            await Worker.RunAsync(stop.Token);
        }
        catch (Exception exception) when (!stop.IsCancellationRequested)
        {
            Failure = exception;
            failed?.Invoke(exception);
        }
    });

    /// <summary>
    /// Starts collecting for a resync: <paramref name="tickets"/> names, per resource, the list each
    /// reflector must complete; <paramref name="owned"/> says which repository paths the rules own.
    /// </summary>
    public async Task BeginSyncAsync(IReadOnlyDictionary<WatchedResource, long> tickets, Func<string, bool> owned, CancellationToken cancellationToken)
    {
        await gate.WaitAsync(cancellationToken);
        try
        {
            sync = new SyncState(new Dictionary<WatchedResource, long>(tickets), owned);
        }
        finally
        {
            gate.Release();
        }

        if (tickets.Count == 0)
        {
            await FinishSyncIfDoneAsync(cancellationToken);
        }
    }

    /// <summary>A reflector finished list number <paramref name="ticket"/>; the last one the sync waits for commits the resync.</summary>
    public async Task ListedAsync(WatchedResource resource, long ticket, CancellationToken cancellationToken)
    {
        await gate.WaitAsync(cancellationToken);
        try
        {
            if (sync is not null && sync.Waiting.TryGetValue(resource, out var needed) && ticket >= needed)
            {
                sync.Waiting.Remove(resource);
            }
        }
        finally
        {
            gate.Release();
        }

        await FinishSyncIfDoneAsync(cancellationToken);
    }

    /// <summary>
    /// Stops a sync from waiting for a resource the operator may not list (403): the resync goes ahead
    /// without it and leaves that kind's files alone, since their objects cannot be seen.
    /// </summary>
    public async Task SkipAsync(WatchedResource resource, CancellationToken cancellationToken)
    {
        await gate.WaitAsync(cancellationToken);
        try
        {
            if (sync is not null && sync.Waiting.Remove(resource))
            {
                sync.Skipped.Add(RepositoryLayout.KindFolder(resource.Kind, resource.Group));
            }
        }
        finally
        {
            gate.Release();
        }

        await FinishSyncIfDoneAsync(cancellationToken);
    }

    /// <summary>
    /// An object as listed or watched. It is sanitized in a copy: the same object may go to several
    /// repositories.
    /// </summary>
    public async Task<string> UpsertAsync(MappingNode obj, WatchRuleSpec rule, CancellationToken cancellationToken)
    {
        var metadata = obj.GetMapping("metadata");
        var (manager, managedAt) = LastManager(metadata);
        var version = metadata?.GetString("resourceVersion");
        var uid = Guid.TryParse(metadata?.GetString("uid"), out var parsed) ? parsed : Guid.Empty;
        SanitizeResult result;
        try
        {
            result = sanitizer.Sanitize((MappingNode)obj.DeepClone(), PolicyFor(rule));
        }
        catch (ManifestFormatException)
        {
            return CaptureOutcome.Error;
        }

        if (result.IsSkipped)
        {
            return CaptureOutcome.Skipped;
        }

        // The rule reconciler refuses Encrypt without recipients; should one slip through, nothing is written.
        if (CapturedFile.Of(result, sanitizer, Encryptor, time) is not { } file)
        {
            return CaptureOutcome.Error;
        }

        var path = Layout.PathFor(result.Identity);
        var yaml = file.Sanitized;

        var rv = long.TryParse(version, NumberStyles.None, CultureInfo.InvariantCulture, out var number) ? number : 0;
        await gate.WaitAsync(cancellationToken);
        try
        {
            var existed = Cache.TryGet(path, out _, out _);
            var changed = Cache.Observe(path, uid, rv, yaml);
            var operation = existed ? ChangeOperation.Update : ChangeOperation.Create;
            var description = new ChangeDescription(operation, result.Identity, manager, managedAt ?? time.GetUtcNow(), version);
            if (sync is not null)
            {
                sync.Desired[path] = (file, description);
                return CaptureOutcome.Resync;
            }

            if (!changed)
            {
                return CaptureOutcome.Unchanged;
            }

            var credited = attribution?.Credit(this, AttributionKey(result.Identity), AttributionHash(obj, rule, yaml));
            if ((manager is not null && rule.ExcludeFieldManagers.Contains(manager)) || Excludes(rule, credited) || !Allows(rule, operation))
            {
                return CaptureOutcome.Excluded;
            }

            description = credited is null ? description : description with { User = credited.User, Groups = credited.Groups };
            await Worker.EnqueueAsync(new GitChange(path, file.Content(), description), cancellationToken);
            return CaptureOutcome.Committed;
        }
        finally
        {
            gate.Release();
        }
    }

    /// <summary>An object is gone, or no longer captured: its file goes, if this capture wrote one.</summary>
    /// <summary>The secret policy an object of <paramref name="rule"/> is written with: the rule's, else the GitRepoConfig's (null: the operator's).</summary>
    public SecretPolicy? PolicyFor(WatchRuleSpec rule) => rule.SecretPolicy ?? Spec.SecretPolicy;

    public async Task<string> RemoveAsync(ObjectIdentity identity, string? version, WatchRuleSpec rule, CancellationToken cancellationToken)
    {
        var path = Layout.PathFor(identity);
        await gate.WaitAsync(cancellationToken);
        try
        {
            if (sync is not null)
            {
                sync.Desired.Remove(path);
                Cache.Remove(path);
                return CaptureOutcome.Resync;
            }

            if (!Cache.Remove(path))
            {
                return CaptureOutcome.Unchanged;
            }

            var credited = attribution?.CreditDelete(this, AttributionKey(identity));
            if (Excludes(rule, credited) || !Allows(rule, ChangeOperation.Delete))
            {
                return CaptureOutcome.Excluded;
            }

            var description = new ChangeDescription(ChangeOperation.Delete, identity, null, time.GetUtcNow(), version);
            await Worker.EnqueueAsync(
                new GitChange(path, null, credited is null ? description : description with { User = credited.User, Groups = credited.Groups }),
                cancellationToken);
            return CaptureOutcome.Committed;
        }
        finally
        {
            gate.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await stop.CancelAsync();
        if (run is not null)
        {
            try
            {
                await run;
            }
            catch (OperationCanceledException)
            {
                // Stopping.
            }
            catch (Exception exception) when (Failure is not null || exception is LibGit2Sharp.LibGit2SharpException or IOException)
            {
                // Reported through the failed callback already, or a failure while stopping.
            }
        }

        // The gate stays usable: an event routed just before removal may still arrive.
        Worker.Dispose();
        stop.Dispose();
    }

    private async Task FinishSyncIfDoneAsync(CancellationToken cancellationToken)
    {
        await gate.WaitAsync(cancellationToken);
        try
        {
            if (sync is not { Waiting.Count: 0 } done)
            {
                return;
            }

            // Every change queued before the sync began is committed before the files are read.
            var files = await Worker.ReadFilesAsync(BaseFolder, cancellationToken);
            var encrypted = done.Desired.Where(pair => pair.Value.File.IsEncrypted && files.ContainsKey(pair.Key)).Select(pair => pair.Key).ToList();
            var headers = encrypted.Count == 0
                ? []
                : (await Worker.ReadContentsAsync(encrypted, cancellationToken)).ToDictionary(pair => pair.Key, pair => SopsFile.Read(pair.Value), StringComparer.Ordinal);
            var changes = ResyncPlan.Changes(done.Desired, files, headers, path => done.Owned(path), done.Skipped, BaseFolder, time.GetUtcNow());
            await Worker.EnqueueResyncAsync(changes, cancellationToken);
            if (changes.Count > 0)
            {
                Worker.RequestPush();
            }

            sync = null;
            hasSynced = true;
            resynced?.Invoke(changes.Count);
        }
        finally
        {
            gate.Release();
        }
    }

    private static string AttributionKey(ObjectIdentity identity) =>
        AttributionRecords.KeyOf(identity.Group, identity.Kind, identity.Namespace, identity.Name);

    // The webhook hashes objects sanitized with the operator's secret policy; a rule with its own policy
    // hashes its event that way too (only Secrets differ).
    private ulong AttributionHash(MappingNode obj, WatchRuleSpec rule, byte[] yaml)
    {
        if (attribution is null || PolicyFor(rule) is null)
        {
            return ResourceCache.HashOf(yaml);
        }

        var asWebhookSees = sanitizer.Sanitize((MappingNode)obj.DeepClone(), null);
        return asWebhookSees.IsSkipped ? 0 : ResourceCache.HashOf(Encoding.UTF8.GetBytes(CanonicalYaml.Write(asWebhookSees.Manifest!)));
    }

    private static bool Excludes(WatchRuleSpec rule, AttributionRecord? credited) =>
        credited is not null && (rule.ExcludeUsers.Contains(credited.User) || credited.Groups.Any(rule.ExcludeGroups.Contains));

    private static bool Allows(WatchRuleSpec rule, ChangeOperation operation) => operation switch
    {
        ChangeOperation.Create => rule.Operations.HasFlag(CaptureOperations.Create),
        ChangeOperation.Update => rule.Operations.HasFlag(CaptureOperations.Update),
        _ => rule.Operations.HasFlag(CaptureOperations.Delete),
    };

    // The manager of the most recent managedFields entry, and when it wrote.
    private static (string? Manager, DateTimeOffset? Time) LastManager(MappingNode? metadata)
    {
        string? manager = null;
        DateTimeOffset? latest = null;
        foreach (var entry in metadata?.GetSequence("managedFields")?.Items.OfType<MappingNode>() ?? [])
        {
            if (DateTimeOffset.TryParse(entry.GetString("time"), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var when)
                && (latest is null || when >= latest))
            {
                latest = when;
                manager = entry.GetString("manager");
            }
        }

        return (manager, latest);
    }

    private sealed record SyncState(Dictionary<WatchedResource, long> Waiting, Func<string, bool> Owned)
    {
        public Dictionary<string, (CapturedFile File, ChangeDescription Description)> Desired { get; } = new(StringComparer.Ordinal);

        /// <summary>Kind folders of resources the sync went ahead without (403): their files are left alone.</summary>
        public HashSet<string> Skipped { get; } = new(StringComparer.Ordinal);
    }
}
