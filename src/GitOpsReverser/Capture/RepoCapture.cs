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
/// One repository never holds the reflectors it shares with others: every wait ends when the capture stops (it
/// was removed, or its worker failed), and a change its queue has no room for within <see cref="StallTimeout"/>
/// is deferred: the capture stops queueing and asks for a resync (<see cref="NeedsResync"/>) once its queue
/// has emptied.
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
    private readonly Action? stalled;
    private readonly Action? resyncRequested;

    /// <summary>
    /// A capture for <paramref name="spec"/>; <paramref name="resynced"/> runs when a sync ends, with the number
    /// of changes its resync commit holds, <paramref name="failed"/> when the worker stops on an error,
    /// <paramref name="stalled"/> when it starts deferring changes and <paramref name="resyncRequested"/> when it
    /// has room again and needs a resync.
    /// </summary>
    public RepoCapture(RepoSpec spec, string fingerprint, IRepoPipeline worker, Sanitizer sanitizer, TimeProvider time,
        Action<int>? resynced = null, Action<Exception>? failed = null, AttributionRecords? attribution = null, SopsEncryptor? encryptor = null,
        Action? stalled = null, Action? resyncRequested = null)
    {
        this.stalled = stalled;
        this.resyncRequested = resyncRequested;
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

    /// <summary>
    /// After a gap (a start, a repository that fell behind), at most this many changes are committed one per object
    /// (named after the object and its last field manager); more make one <c>[RESYNC]</c> commit. Default 100; 0: always one.
    /// </summary>
    public int ColdStartCommitLimit { get; init; } = DefaultColdStartCommitLimit;

    public const int DefaultColdStartCommitLimit = 100;

    /// <summary>
    /// A standby's capture: its pipeline keeps the changes (a <see cref="ChangeJournal"/>) and a sync only learns the
    /// objects, planning no resync: the leader keeps the repository.
    /// </summary>
    public bool Standby { get; init; }

    /// <summary>The public half of the key every commit is signed with (<c>commit.signing</c>); null when commits are not signed.</summary>
    public string? SigningKey { get; init; }

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

    /// <summary>How long a change may wait for room in the repository's queue before the capture defers changes to a resync.</summary>
    public static readonly TimeSpan StallTimeout = TimeSpan.FromSeconds(30);

    // Set when a change found no room within StallTimeout: changes are deferred until the resync it asks for.
    private volatile bool overflowed;

    // Set once the controller was asked for the resync, so that it is asked once.
    private volatile bool resyncAsked;

    /// <summary>True when changes were deferred (<see cref="CaptureOutcome.Deferred"/>) and the queue is empty again: the controller resyncs the capture.</summary>
    public bool NeedsResync => overflowed && Worker.Status.QueuedChanges == 0;

    public void Start() => run = Task.Run(async () =>
    {
        try
        {
            await Worker.RunAsync(stop.Token);
        }
        catch (Exception exception) when (!stop.IsCancellationRequested)
        {
            Failure = exception;

            // Whoever waits on this capture (a reflector, the controller) stops waiting: nothing more will be committed.
            await stop.CancelAsync();
            failed?.Invoke(exception);
        }
    });

    /// <summary>
    /// Starts collecting for a resync: <paramref name="tickets"/> names, per resource, the list each
    /// reflector must complete; <paramref name="owned"/> says which repository paths the resync may change;
    /// <paramref name="scope"/> which objects it brings in (null: every one; any other event is committed as
    /// usual). A sync still collecting takes the new one in; one already planning its commit does not, and
    /// false says so: the caller tries again once it is done.
    /// </summary>
    public async Task<bool> BeginSyncAsync(IReadOnlyDictionary<WatchedResource, long> tickets, Func<string, bool> owned, CancellationToken cancellationToken,
        SyncScope? scope = null)
    {
        using var linked = Linked(cancellationToken);
        if (!await EnterAsync(linked.Token, cancellationToken))
        {
            return false;
        }

        try
        {
            if (sync is { Finishing: true })
            {
                return false;
            }

            if (sync is { } collecting)
            {
                foreach (var (resource, ticket) in tickets)
                {
                    collecting.Waiting[resource] = Math.Max(ticket, collecting.Waiting.GetValueOrDefault(resource));
                }

                var before = collecting.Owned;
                collecting.Owned = path => before(path) || owned(path);
                if (collecting.Scope is { } wider && scope is not null)
                {
                    wider.Merge(scope);
                }
                else
                {
                    collecting.Scope = null;
                }
            }
            else
            {
                sync = new SyncState(new Dictionary<WatchedResource, long>(tickets), owned) { Scope = scope };
            }

            overflowed = false;
            resyncAsked = false;
        }
        finally
        {
            gate.Release();
        }

        if (tickets.Count == 0)
        {
            FinishSyncInBackground();
        }

        return true;
    }

    /// <summary>A reflector finished list number <paramref name="ticket"/>; the last one the sync waits for commits the resync.</summary>
    public async Task ListedAsync(WatchedResource resource, long ticket, CancellationToken cancellationToken)
    {
        using var linked = Linked(cancellationToken);
        if (!await EnterAsync(linked.Token, cancellationToken))
        {
            return;
        }

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

        FinishSyncInBackground();
    }

    /// <summary>
    /// Stops a sync from waiting for a resource the operator may not list (403): the resync goes ahead
    /// without it and leaves that kind's files alone, since their objects cannot be seen.
    /// </summary>
    public async Task SkipAsync(WatchedResource resource, CancellationToken cancellationToken)
    {
        using var linked = Linked(cancellationToken);
        if (!await EnterAsync(linked.Token, cancellationToken))
        {
            return;
        }

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

        FinishSyncInBackground();
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
        using var linked = Linked(cancellationToken);
        if (!await EnterAsync(linked.Token, cancellationToken))
        {
            return CaptureOutcome.Deferred;
        }

        try
        {
            var existed = Cache.TryGet(path, out _, out _);
            var changed = Cache.Observe(path, uid, rv, yaml);
            var operation = existed ? ChangeOperation.Update : ChangeOperation.Create;
            var description = new ChangeDescription(operation, result.Identity, manager, managedAt ?? time.GetUtcNow(), version);
            if (sync is not null && (sync.Scope?.Covers(result.Identity) ?? true))
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
            return await EnqueueAsync(new GitChange(path, file.Content(), description), linked.Token, cancellationToken);
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
        using var linked = Linked(cancellationToken);
        if (!await EnterAsync(linked.Token, cancellationToken))
        {
            return CaptureOutcome.Deferred;
        }

        try
        {
            if (sync is not null && (sync.Scope?.Covers(identity) ?? true))
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
            return await EnqueueAsync(
                new GitChange(path, null, credited is null ? description : description with { User = credited.User, Groups = credited.Groups }),
                linked.Token, cancellationToken);
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

        // The gate and the stop token stay usable: an event routed just before removal may still arrive (and is deferred).
        Worker.Dispose();
    }

    /// <summary>
    /// The planning of the resync that the last list completed: it runs in the background (it waits for the worker
    /// to read the branch, and a worker may be slow), so neither a reflector nor the controller waits on it.
    /// Completed when none runs.
    /// </summary>
    public Task Finishing { get; private set; } = Task.CompletedTask;

    private void FinishSyncInBackground()
    {
        lock (stop)
        {
            var previous = Finishing;
            Finishing = Task.Run(async () =>
            {
                await previous.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
                try
                {
                    await FinishSyncIfDoneAsync(stop.Token);
                }
                catch (OperationCanceledException) when (stop.IsCancellationRequested)
                {
                    // Stopped.
                }
                catch (Exception exception) when (exception is not OperationCanceledException)
                {
                    // The branch could not be read: like a failed worker, the capture is replaced and syncs afresh.
                    Failure ??= exception;
                    await stop.CancelAsync();
                    failed?.Invoke(exception);
                }
            });
        }
    }

    // The branch's files are read without holding the gate: events arriving meanwhile go on into the sync's
    // desired state (a worker that is slow to answer never holds the reflectors), and the resync is planned
    // from what they left once the files are in.
    private async Task FinishSyncIfDoneAsync(CancellationToken cancellationToken)
    {
        using var linked = Linked(cancellationToken);
        SyncState? done;
        if (!await EnterAsync(linked.Token, cancellationToken))
        {
            return;
        }

        try
        {
            done = sync is { Waiting.Count: 0, Finishing: false } ready ? ready : null;
            done?.Finishing = true;
        }
        finally
        {
            gate.Release();
        }

        if (done is null)
        {
            return;
        }

        if (Standby)
        {
            await EndStandbySyncAsync(done, linked.Token, cancellationToken);
            return;
        }

        Dictionary<string, LibGit2Sharp.ObjectId> files;
        try
        {
            // Every change queued before the sync began is committed before the files are read.
            files = await Worker.ReadFilesAsync(BaseFolder, linked.Token);
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            return;
        }

        if (!await EnterAsync(linked.Token, cancellationToken))
        {
            return;
        }

        try
        {
            if (sync != done)
            {
                // A newer sync began meanwhile: it plans its own resync.
                return;
            }

            var encrypted = done.Desired.Where(pair => pair.Value.File.IsEncrypted && files.ContainsKey(pair.Key)).Select(pair => pair.Key).ToList();
            var headers = encrypted.Count == 0
                ? []
                : (await Worker.ReadContentsAsync(encrypted, linked.Token)).ToDictionary(pair => pair.Key, pair => SopsFile.Read(pair.Value), StringComparer.Ordinal);
            var changes = ResyncPlan.Changes(done.Desired, files, headers, path => done.Owned(path), done.Skipped, BaseFolder, time.GetUtcNow());
            // After a gap, a few changes are each their own commit; a kind or namespace newly captured, many
            // changes, or a re-encryption (no change of the cluster's) are one [RESYNC].
            if ((done.Scope is null || done.Scope.Whole) && changes.Count > 0 && changes.Count <= ColdStartCommitLimit && changes.All(change => change.Description.Note is null))
            {
                foreach (var change in changes)
                {
                    await Worker.EnqueueAsync(change, linked.Token);
                }
            }
            else
            {
                await Worker.EnqueueResyncAsync(changes, linked.Token);
            }
            if (changes.Count > 0)
            {
                Worker.RequestPush();
            }

            sync = null;
            hasSynced = true;
            resynced?.Invoke(changes.Count);
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            // Stopped meanwhile.
        }
        finally
        {
            gate.Release();
        }
    }

    private async Task EndStandbySyncAsync(SyncState done, CancellationToken linked, CancellationToken caller)
    {
        if (!await EnterAsync(linked, caller))
        {
            return;
        }

        try
        {
            if (sync == done)
            {
                sync = null;
                hasSynced = true;
            }
        }
        finally
        {
            gate.Release();
        }
    }

    // The caller's token, cancelled also when this capture stops.
    private CancellationTokenSource Linked(CancellationToken cancellationToken) =>
        CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, stop.Token);

    // Takes the gate; false (without it) when the capture stopped, so nobody waits on a dead repository.
    private async Task<bool> EnterAsync(CancellationToken linked, CancellationToken caller)
    {
        try
        {
            await gate.WaitAsync(linked);
            return true;
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested && !caller.IsCancellationRequested)
        {
            return false;
        }
    }

    // Queues a change, waiting at most StallTimeout for room; past that (the worker makes no room: a hanging
    // remote, a clone stuck on I/O) the change is deferred, so the reflectors this repository shares go on
    // for every other one, and the repository resyncs once its queue is empty again.
    private async Task<string> EnqueueAsync(GitChange change, CancellationToken linked, CancellationToken caller)
    {
        if (overflowed)
        {
            RequestResyncWhenDrained();
            return CaptureOutcome.Deferred;
        }

        using var stall = new CancellationTokenSource(StallTimeout, time);
        using var waiting = CancellationTokenSource.CreateLinkedTokenSource(linked, stall.Token);
        try
        {
            await Worker.EnqueueAsync(change, waiting.Token);
            return CaptureOutcome.Committed;
        }
        catch (OperationCanceledException) when (!caller.IsCancellationRequested)
        {
            if (!stop.IsCancellationRequested)
            {
                overflowed = true;
                stalled?.Invoke();
            }

            return CaptureOutcome.Deferred;
        }
    }

    private void RequestResyncWhenDrained()
    {
        if (!resyncAsked && NeedsResync)
        {
            resyncAsked = true;
            resyncRequested?.Invoke();
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

    private sealed record SyncState(Dictionary<WatchedResource, long> Waiting, Func<string, bool> InitialOwned)
    {
        /// <summary>The repository paths the resync may change (a merged sync owns both's).</summary>
        public Func<string, bool> Owned { get; set; } = InitialOwned;

        /// <summary>Which objects the resync brings in; null: every one.</summary>
        public SyncScope? Scope { get; set; }

        /// <summary>Set once the last list is in and the branch's files are being read.</summary>
        public bool Finishing { get; set; }

        public Dictionary<string, (CapturedFile File, ChangeDescription Description)> Desired { get; } = new(StringComparer.Ordinal);

        /// <summary>Kind folders of resources the sync went ahead without (403): their files are left alone.</summary>
        public HashSet<string> Skipped { get; } = new(StringComparer.Ordinal);
    }
}
