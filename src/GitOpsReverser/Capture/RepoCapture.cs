using System.Globalization;
using GitOpsReverser.Attribution;
using GitOpsReverser.Encryption;
using GitOpsReverser.Git;
using GitOpsReverser.Git.Layout;
using GitOpsReverser.Git.Pipeline;
using GitOpsReverser.Manifests;
using GitOpsReverser.Sanitizing;
using GitOpsReverser.Specs;

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
internal sealed partial class RepoCapture : IAsyncDisposable
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
        DefaultIgnoreFields = spec.IgnoreFields;
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
    /// An object as listed or watched. It is sanitized in a copy: the same object may go to several
    /// repositories.
    /// </summary>
    public async Task<string> UpsertAsync(MappingNode obj, CaptureRule rule, CancellationToken cancellationToken)
    {
        var metadata = obj.GetMapping("metadata");
        var (manager, managedAt) = LastManager(metadata);
        var version = metadata?.GetString("resourceVersion");
        var uid = Guid.TryParse(metadata?.GetString("uid"), out var parsed) ? parsed : Guid.Empty;
        SanitizeResult result;
        bool ignored;
        try
        {
            var copy = (MappingNode)obj.DeepClone();
            ignored = Ignore(copy, rule);
            result = sanitizer.Sanitize(copy, PolicyFor(rule));
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
                // A write made while the capture syncs (a start, a takeover) is still its writer's, should the
                // resync commit it object by object.
                var writer = Writer(result.Identity, obj, rule, yaml, ignored);
                sync.Desired[path] = (file, Credited(description, writer));
                return CaptureOutcome.Resync;
            }

            if (!changed)
            {
                return CaptureOutcome.Unchanged;
            }

            var credited = Writer(result.Identity, obj, rule, yaml, ignored);
            if ((manager is not null && rule.ExcludeFieldManagers.Contains(manager)) || Excludes(rule, credited) || !Allows(rule, operation))
            {
                return CaptureOutcome.Excluded;
            }

            return await EnqueueAsync(new GitChange(path, file.Content(), Credited(description, credited)), linked.Token, cancellationToken);
        }
        finally
        {
            gate.Release();
        }
    }

    /// <summary>The secret policy an object of <paramref name="rule"/> is written with: the rule's, else the GitRepoConfig's (null: the operator's).</summary>
    public SecretPolicy? PolicyFor(CaptureRule rule) => rule.SecretPolicy ?? Spec.SecretPolicy;

    /// <summary>An object is gone, or no longer captured: its file goes, if this capture wrote one.</summary>
    public async Task<string> RemoveAsync(ObjectIdentity identity, string? version, CaptureRule rule, CancellationToken cancellationToken)
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
                if (attribution?.CreditDelete(this, AttributionKey(identity)) is { } deleter)
                {
                    sync.DeletedBy[path] = (deleter.User, deleter.Groups);
                }

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
            return await EnqueueAsync(new GitChange(path, null, Credited(description, credited)), linked.Token, cancellationToken);
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
            catch (Exception exception) when (Failure is not null || LocalGitFailure.Is(exception))
            {
                // Reported through the failed callback already, or a failure while stopping.
            }
        }

        // The gate and the stop token stay usable: an event routed just before removal may still arrive (and is deferred).
        Worker.Dispose();
    }
}
