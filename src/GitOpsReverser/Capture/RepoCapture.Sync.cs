using GitOpsReverser.Encryption;
using GitOpsReverser.Git;
using GitOpsReverser.Git.Layout;
using GitOpsReverser.Kube;

namespace GitOpsReverser.Capture;

/// <summary>
/// The sync: after a start or a rule change, objects are collected until every reflector the capture needs has listed;
/// then the branch's files under the owned paths are compared with them and one <c>[RESYNC]</c> commit brings the
/// branch to the cluster's state (a standby only records that it is in step).
/// </summary>
internal sealed partial class RepoCapture
{
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

        Dictionary<string, BlobId> files;
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
            var changes = ResyncPlan.Changes(done.Desired, files, headers, path => done.Owned(path), done.Skipped, BaseFolder, time.GetUtcNow(), done.DeletedBy);
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

    private sealed record SyncState(Dictionary<WatchedResource, long> Waiting, Func<string, bool> InitialOwned)
    {
        /// <summary>The repository paths the resync may change (a merged sync owns both's).</summary>
        public Func<string, bool> Owned { get; set; } = InitialOwned;

        /// <summary>Which objects the resync brings in; null: every one.</summary>
        public SyncScope? Scope { get; set; }

        /// <summary>Set once the last list is in and the branch's files are being read.</summary>
        public bool Finishing { get; set; }

        public Dictionary<string, (CapturedFile File, ChangeDescription Description)> Desired { get; } = new(StringComparer.Ordinal);

        /// <summary>Who the attribution webhook saw delete an object while the sync ran, by path.</summary>
        public Dictionary<string, (string User, IReadOnlyList<string> Groups)> DeletedBy { get; } = new(StringComparer.Ordinal);

        /// <summary>Kind folders of resources the sync went ahead without (403): their files are left alone.</summary>
        public HashSet<string> Skipped { get; } = new(StringComparer.Ordinal);
    }
}
