using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using GitOpsReverser.Api.V1Alpha1;
using GitOpsReverser.Attribution;
using GitOpsReverser.Capture;
using GitOpsReverser.Encryption;
using GitOpsReverser.Git;
using GitOpsReverser.Git.Clone;
using GitOpsReverser.Git.Messages;
using GitOpsReverser.Git.Pipeline;
using GitOpsReverser.Git.Transport;
using GitOpsReverser.Sanitizing;
using GitOpsReverser.Specs;
using Microsoft.Extensions.Logging;

namespace GitOpsReverser.Control;

/// <summary>
/// One <see cref="RepoCapture"/> per usable GitRepoConfig: created when one appears, replaced when its
/// spec or Secret changes or its worker failed (with backoff; a clone failing twice in a row is moved
/// aside, keeping one quarantined copy), removed when it goes or becomes unusable. A tenant's GitRepoConfig
/// has its Secret and recipients read only when its identity may read them (<paramref name="access"/>).
/// Whatever goes wrong with one GitRepoConfig is that object's condition, never a failure of the others.
/// <paramref name="removing"/> runs before a capture is disposed, so nothing routes to it any more;
/// <paramref name="changed"/> asks for another reconcile of a GitRepoConfig (its capture resynced or failed); <paramref name="pipelines"/> makes each
/// repository's Git pipeline (a <see cref="RepoWorker"/> unless given).
/// </summary>
internal sealed partial class GitRepoConfigReconciler(
    OperatorOptions options, SecretReader secrets, Sanitizer sanitizer, GitMetrics metrics, TimeProvider time, ILoggerFactory loggers,
    Action<RepoCapture> removing, Action<ResourceKey> changed, Func<RepoWorkerOptions, IRepoPipeline>? pipelines = null, AttributionRecords? attribution = null,
    TenantAccess? access = null, bool standby = false, IReadOnlyDictionary<string, IReadOnlyList<GitChange>>? takeover = null)
{
    // What the standby this process was saw, by capture fingerprint: each goes to the new capture of the same spec once.
    private readonly Dictionary<string, IReadOnlyList<GitChange>> takeover = takeover?.ToDictionary(pair => pair.Key, pair => pair.Value) ?? [];

    /// <summary>How long a restarted worker must run without failing before its failures are forgotten (and its backoff starts afresh).</summary>
    public static readonly TimeSpan HealthyAfter = TimeSpan.FromMinutes(10);

    private readonly Dictionary<ResourceKey, RepoCapture> captures = [];
    // Read by readiness from the health check's thread too.
    private readonly System.Collections.Concurrent.ConcurrentDictionary<ResourceKey, (int Count, DateTimeOffset RetryAt, string Message)> failures = [];
    private readonly ILogger logger = loggers.CreateLogger<GitRepoConfigReconciler>();
    private readonly TenantAccess access = access ?? new TenantAccess(null, "", "default");

    /// <summary>True while the worker of <paramref name="key"/> failed and has not yet run long enough since to count as healthy.</summary>
    public bool IsFailing(ResourceKey key) => failures.ContainsKey(key);

    public IReadOnlyList<RepoCapture> All
    {
        get
        {
            lock (captures)
            {
                return [.. captures.Values];
            }
        }
    }

    public bool TryGet(ResourceKey key, out RepoCapture capture)
    {
        lock (captures)
        {
            return captures.TryGetValue(key, out capture!);
        }
    }

    /// <summary>
    /// Brings the capture of one GitRepoConfig in line with <paramref name="obj"/>, its current state (null: it is gone, and
    /// so is its capture); returns its status (null when it is gone).
    /// </summary>
    public async Task<ObjectStatus?> ReconcileAsync(ResourceKey key, JsonObject? obj, CancellationToken cancellationToken)
    {
        if (obj is null)
        {
            await RemoveAsync(key);
            await RemoveNotifierAsync(key);
            return null;
        }

        try
        {
            var spec = SpecReader.ReadRepo(obj);
            if (!options.AllowLocalRepositories && RemoteUrl.IsLocal(spec.Url))
            {
                throw new SpecException("InvalidSpec",
                    $"url \"{spec.Url}\" is a local path; use https://, http://, ssh:// or user@host:path (local paths need --allow-local-repositories)");
            }

            // A tenant's references are read only for an identity of its namespace that may read them.
            if (spec.SecretName is { } named)
            {
                await access.RequireGetAsync(spec, "secrets", named, "secretRef", cancellationToken);
            }

            if (spec.RecipientsRef is { } recipientsRef)
            {
                await access.RequireGetAsync(spec, recipientsRef.Kind == "Secret" ? "secrets" : "configmaps", recipientsRef.Name,
                    "encryption.age.recipientsRef", cancellationToken);
            }

            var (credentials, digest) = spec.SecretName is { } secretName
                ? await secrets.ReadAsync(key.Namespace!, secretName, cancellationToken)
                : (GitCredentials.None, "");
            // A record prints a list as its type: the resolved recipients (the spec's and the ref's) are added by value.
            var recipients = await RecipientsAsync(spec, cancellationToken);
            var (signer, signingDigest) = await SignerAsync(spec, cancellationToken);
            var fingerprint = $"{spec with { Generation = 0 }}|{digest}|{string.Join(',', recipients)}|{signingDigest}";
            if (TryGet(key, out var failed) && failed.Failure is { } failure)
            {
                await RemoveAsync(key);
                RecordFailure(key, failed, failure);
            }

            if (failures.TryGetValue(key, out var retry) && retry.RetryAt > time.GetUtcNow())
            {
                throw new SpecException("WorkerFailed",
                    $"the Git worker stopped on an error ({retry.Message}); starting it again at {retry.RetryAt.UtcDateTime:HH:mm:ss}Z");
            }

            if (!TryGet(key, out var capture) || capture.Fingerprint != fingerprint)
            {
                await RemoveAsync(key);
                capture = Create(spec, fingerprint, credentials, recipients.Count > 0 ? new SopsEncryptor(recipients) : null, signer);
                lock (captures)
                {
                    captures[key] = capture;
                }

                if (takeover.Remove(fingerprint, out var journal))
                {
                    await capture.Worker.EnqueueTakeoverAsync(journal, cancellationToken);
                }

                capture.Start();
                if (!standby)
                {
                    Log.RepositoryStarted(logger, key.ToString(), RemoteUrl.Redact(spec.Url), spec.Branch);
                }
            }

            // A changed default for the rules' ignoreFields takes effect without a new capture; the rules' settings resync it.
            capture.DefaultIgnoreFields = spec.IgnoreFields;
            await ReconcileNotifierAsync(spec, capture, cancellationToken);
            if (capture.Synced && failures.TryGetValue(key, out var past) && time.GetUtcNow() - past.RetryAt >= HealthyAfter)
            {
                failures.TryRemove(key, out _);
            }

            return Status(key, SpecReader.GenerationOf(obj), capture, NotifierOf(key));
        }
        catch (SpecException exception)
        {
            await RemoveAsync(key);
            await RemoveNotifierAsync(key);
            Log.ObjectNotReady(logger, key.ToString(), exception.Reason, exception.Message);
            var fields = new GitRepoConfigStatus();
            if (obj["spec"]?["url"] is JsonValue url && url.TryGetValue<string>(out var text))
            {
                fields.Url = RemoteUrl.Redact(text.Trim());
            }

            return new ObjectStatus(key, SpecReader.GenerationOf(obj), false, exception.Reason, exception.Message, fields);
        }
        catch (Exception exception) when (exception is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // Not this object's spec (the API server could not be asked, say): a running capture goes on, and
            // the condition says why the object was not reconciled; the next reconcile tries again.
            Log.ReconcileObjectFailed(logger, key.ToString(), exception);
            return new ObjectStatus(key, SpecReader.GenerationOf(obj), false, "ReconcileFailed",
                $"could not be reconciled ({exception.GetType().Name}: {exception.Message}); trying again", new GitRepoConfigStatus());
        }
    }

    /// <summary>A standby's: what each capture's journal kept, by capture fingerprint (a leader's new capture of the same spec takes it).</summary>
    public Dictionary<string, IReadOnlyList<GitChange>> Journals() =>
        All.Where(capture => capture.Worker is ChangeJournal).ToDictionary(capture => capture.Fingerprint, capture => ((ChangeJournal)capture.Worker).Changes);

    public async Task RemoveAllAsync()
    {
        foreach (var capture in All)
        {
            await RemoveAsync(capture.Spec.Id);
            await RemoveNotifierAsync(capture.Spec.Id);
        }
    }

    private RepoCapture Create(RepoSpec spec, string fingerprint, GitCredentials credentials, SopsEncryptor? encryptor, SshCommitSigner? signer)
    {
        var digest = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes($"{spec.Url}|{spec.Branch}")))[..8];
        var workerOptions = new RepoWorkerOptions
        {
            Id = $"{spec.Id.Namespace}.{spec.Id.Name}.{digest}",
            Repository = $"{spec.Id.Namespace}/{spec.Id.Name}",
            Url = spec.Url,
            Branch = spec.Branch,
            Credentials = credentials,
            Signer = signer,
            DataDirectory = options.DataDirectory!,
            CommitterName = spec.CommitterName ?? "GitOps Reverser",
            CommitterEmail = spec.CommitterEmail ?? "gitops-reverser@localhost",
            UserEmailDomain = spec.UserEmailDomain ?? "cluster.local",
            MessageTemplate = spec.MessageTemplate is { } template ? CommitMessageTemplate.Parse(template) : null,
            CommitWindow = spec.CommitWindow,
            PushMaxDelay = spec.PushInterval ?? TimeSpan.FromSeconds(10),
            PushMaxCommits = spec.PushMaxCommits ?? 50,
            QueueBytes = options.QueueBytes,
            Pushed = (from, to) => NotifierOf(spec.Id)?.Pushed(from, to),
        };
        var worker = standby ? new ChangeJournal(options.QueueBytes)
            : pipelines?.Invoke(workerOptions) ?? new RepoWorker(workerOptions, time, metrics, loggers.CreateLogger<RepoWorker>());
        return new RepoCapture(spec, fingerprint, worker, sanitizer, time,
            changes =>
            {
                if (changes == 0)
                {
                    Log.ResyncedNothing(logger, spec.Id.ToString());
                }
                else
                {
                    Log.Resynced(logger, spec.Id.ToString(), changes);
                }

                changed(spec.Id);
            },
            exception =>
            {
                // The next reconcile replaces the capture (see RecordFailure): a new worker reopens the
                // clone, and a resync commits what the failed one had queued.
                Log.WorkerFailed(logger, spec.Id.ToString(), exception);
                changed(spec.Id);
            },
            attribution,
            encryptor,
            stalled: () => Log.CaptureStalled(logger, spec.Id.ToString(), RepoCapture.StallTimeout.TotalSeconds),
            resyncRequested: () => changed(spec.Id))
        {
            SigningKey = signer?.PublicKey,
            ColdStartCommitLimit = options.ColdStartCommitLimit,
            Standby = standby,
        };
    }

    private async Task RemoveAsync(ResourceKey key)
    {
        RepoCapture? capture;
        lock (captures)
        {
            if (!captures.Remove(key, out capture))
            {
                return;
            }
        }

        removing(capture);
        await capture.DisposeAsync();
    }

    private static ObjectStatus Status(ResourceKey key, long generation, RepoCapture capture, Notifications.Notifier? notifier)
    {
        var worker = capture.Worker.Status;
        var fields = new GitRepoConfigStatus
        {
            Url = RemoteUrl.Redact(capture.Spec.Url),
            PendingCommits = worker.PendingCommits,
            QueuedChanges = worker.QueuedChanges,
            CoalescedChanges = worker.CoalescedChanges,
            SigningKey = capture.SigningKey,
            LastCommit = worker.LastCommit,
            LastCommitShort = worker.LastCommit?[..Math.Min(7, worker.LastCommit.Length)],
            LastPushTime = worker.LastPushTime?.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture),
            Notifications = notifier?.Status(),
        };

        return worker switch
        {
            { LastError: { } error } => new ObjectStatus(key, generation, false, error.Kind.ToString(), error.Message, fields),
            { Started: false } => new ObjectStatus(key, generation, null, "Starting", "opening the local clone and fetching the branch", fields),
            _ => new ObjectStatus(key, generation, true, "Ready",
                worker.PendingCommits == 0 ? "every commit is pushed" : $"{worker.PendingCommits} commit(s) waiting to be pushed", fields),
        };
    }
}
