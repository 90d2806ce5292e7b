using GitOpsReverser.Attribution;
using GitOpsReverser.Capture;
using GitOpsReverser.Control.Queue;
using GitOpsReverser.Git;
using GitOpsReverser.Kube;
using GitOpsReverser.Sanitizing;
using GitOpsReverser.Specs;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace GitOpsReverser.Control;

/// <summary>
/// The operator's control loop. Reflectors follow its own objects (GitRepoConfigs, WatchRules,
/// ClusterWatchRules), namespaces and CRDs; a changed object puts its key on its kind's work queue
/// (<see cref="WorkQueue{TKey}"/>, which coalesces repeated keys and backs off failed ones), and the loop
/// reconciles those keys only: a GitRepoConfig's reconciler runs its <see cref="RepoCapture"/> (and puts the
/// rules that name it on theirs), a rule's reconciler resolves its kinds. Then one shared reflector runs per
/// resource any rule needs (others stop), and a repository whose rules changed resyncs. Namespaces, CRDs and
/// RBAC concern every rule: their changes queue every rule's key, as does the status interval. Every object's
/// Ready condition says what is wrong, and a bad object never stops the others.
/// </summary>
internal sealed partial class RuleController : BackgroundService
{
    private static readonly WatchedResource GitRepoConfigs = new("configbutler.ai", "v1alpha1", "gitrepoconfigs", SpecReader.GitRepoConfigKind, true);
    private static readonly WatchedResource WatchRules = new("configbutler.ai", "v1alpha1", "watchrules", SpecReader.WatchRuleKind, true);
    private static readonly WatchedResource ClusterWatchRules = new("configbutler.ai", "v1alpha1", "clusterwatchrules", SpecReader.ClusterWatchRuleKind, false);
    private static readonly WatchedResource Namespaces = new("", "v1", "namespaces", "Namespace", false);
    private static readonly WatchedResource Crds = new("apiextensions.k8s.io", "v1", "customresourcedefinitions", "CustomResourceDefinition", false);

    // Any change to RBAC may change what a tenant's identity may read: its checks are asked again.
    private static readonly WatchedResource[] Rbac =
    [
        new("rbac.authorization.k8s.io", "v1", "roles", "Role", true),
        new("rbac.authorization.k8s.io", "v1", "rolebindings", "RoleBinding", true),
        new("rbac.authorization.k8s.io", "v1", "clusterroles", "ClusterRole", false),
        new("rbac.authorization.k8s.io", "v1", "clusterrolebindings", "ClusterRoleBinding", false),
    ];

    private readonly ApiServerClient api;
    private readonly ServedResources served;
    private readonly StatusWriter statusWriter;
    private readonly OperatorOptions options;
    private readonly WatchMetrics watchMetrics;
    private readonly TimeProvider time;
    private readonly ILoggerFactory loggers;
    private readonly ILogger logger;
    private readonly ReflectorOptions reflectorOptions;
    private readonly SemaphoreSlim trigger = new(0, 1);
    private readonly ReflectedObjects repoStore;
    private readonly ReflectedObjects ruleStore;
    private readonly ReflectedObjects clusterRuleStore;
    private readonly ReflectedObjects crdStore;
    private readonly ReflectedObjects namespaces;
    private readonly List<RunningReflector> metaReflectors = [];
    private readonly GitRepoConfigReconciler captures;
    private readonly CapturedResources captured;
    private readonly Dictionary<ResourceKey, ObjectStatus> statuses = [];
    private readonly Dictionary<ResourceKey, ResolvedRule> activeRules = [];
    private readonly WorkQueue<ResourceKey> repoQueue;
    private readonly WorkQueue<ResourceKey> ruleQueue;
    private readonly WatchRuleReconciler ruleReconciler;
    private readonly AttributionRegistration? registration;
    private readonly ControlMetrics? controlMetrics;
    private readonly AccessReviews? accessReviews;
    private readonly TenantAccess access;
    private bool ready;
    private volatile bool reconciled;
    private volatile bool everyRule;
    private volatile bool everything;

    public RuleController(
        ApiServerClient api, HttpClient http, IOptions<OperatorOptions> options, Sanitizer sanitizer, GitMetrics gitMetrics, WatchMetrics watchMetrics,
        TimeProvider time, ILoggerFactory loggers, WatchRuleReconciler ruleReconciler, ReflectorOptions? reflectorOptions = null,
        AttributionRecords? attribution = null, WebhookCertificates? certificates = null, ControlMetrics? controlMetrics = null,
        WebhookCapability? capability = null, RuleControllerRole? role = null)
    {
        Role = role ?? RuleControllerRole.Leader;
        this.controlMetrics = controlMetrics;
        this.api = api;
        served = new ServedResources(http, time);
        this.options = options.Value;
        this.watchMetrics = watchMetrics;
        this.time = time;
        this.loggers = loggers;
        logger = loggers.CreateLogger<RuleController>();
        statusWriter = new StatusWriter(http, time, logger);
        this.reflectorOptions = reflectorOptions ?? new ReflectorOptions();
        repoQueue = new WorkQueue<ResourceKey>(time, Trigger);
        ruleQueue = new WorkQueue<ResourceKey>(time, Trigger);
        repoStore = new ReflectedObjects(key => Queue(repoQueue, SpecReader.GitRepoConfigKind, key));
        ruleStore = new ReflectedObjects(key => Queue(ruleQueue, SpecReader.WatchRuleKind, key));
        clusterRuleStore = new ReflectedObjects(key => Queue(ruleQueue, SpecReader.ClusterWatchRuleKind, key));
        crdStore = new ReflectedObjects(_ =>
        {
            served.Changed();
            Trigger();
        });
        namespaces = ReflectedObjects.Namespaces(_ =>
        {
            everyRule = true;
            Trigger();
        });
        captured = new CapturedResources(api, this.reflectorOptions, namespaces, watchMetrics, time, loggers, logger);
        this.ruleReconciler = ruleReconciler;
        accessReviews = this.options.TenantAccessChecks ? new AccessReviews(http, time) : null;
        access = new TenantAccess(accessReviews, OperatorNamespace, this.options.DefaultServiceAccount);
        captures = new GitRepoConfigReconciler(this.options, new SecretReader(http), sanitizer, gitMetrics, time, loggers,
            captured.Forget,
            repoQueue.Add, attribution: attribution, access: access, standby: Role.Standby, takeover: Role.Takeover);
        if (attribution is not null && certificates is not null && capability is not null && !Role.Standby)
        {
            registration = new AttributionRegistration(http, this.options.ForAttribution(), certificates, capability, attribution, time, logger);
        }
    }

    private string OperatorNamespace => options.Namespace ?? OperatorOptions.DefaultNamespace();

    /// <summary>Whether this controller leads (commits, reports) or stands by (watches and keeps what it sees), and what it takes over.</summary>
    public RuleControllerRole Role { get; }

    /// <summary>A standby's, once it stopped: what each repository's journal kept, by capture fingerprint.</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<GitChange>> Journals { get; private set; } = new Dictionary<string, IReadOnlyList<GitChange>>();

    /// <summary>
    /// True once the operator's objects are listed and every repository of the operator's namespace (the
    /// administrators') has finished its first sync, or failed; then true for good. A tenant's repository, slow or
    /// broken, never holds the operator's readiness (and with it the webhook's endpoints) back: its own condition
    /// says how it fares.
    /// </summary>
    public bool Ready => ready || (ready = reconciled && captures.All
        .Where(capture => capture.Spec.Id.Namespace == OperatorNamespace && !captures.IsFailing(capture.Spec.Id))
        .All(capture => capture.Synced));

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var changes = new RbacChanges(() =>
        {
            accessReviews?.Forget();
            everything = true;
            Trigger();
        });
        foreach (var (resource, handler) in new (WatchedResource, IReflectorHandler)[]
        {
            (GitRepoConfigs, repoStore), (WatchRules, ruleStore), (ClusterWatchRules, clusterRuleStore), (Namespaces, namespaces), (Crds, crdStore),
        }.Concat(accessReviews is null ? [] : Rbac.Select(resource => (resource, (IReflectorHandler)changes))))
        {
            var running = new RunningReflector(
                new Reflector(api, resource, handler, reflectorOptions, time, loggers.CreateLogger<Reflector>(), watchMetrics),
                CancellationTokenSource.CreateLinkedTokenSource(stoppingToken));
            running.Start();
            metaReflectors.Add(running);
        }

        Log.Started(logger, OperatorNamespace);
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                var triggered = trigger.WaitAsync(stoppingToken);
                if (await Task.WhenAny(triggered, Task.Delay(options.StatusInterval, time, stoppingToken)) != triggered)
                {
                    // Statuses (pending commits, tracked objects) are reported afresh at every interval.
                    everything = true;
                }

                stoppingToken.ThrowIfCancellationRequested();

                // Let a burst of changes (kubectl apply -f of a folder) settle into one reconcile.
                await Task.Delay(TimeSpan.FromMilliseconds(200), time, stoppingToken);
                while (trigger.CurrentCount > 0)
                {
                    await trigger.WaitAsync(stoppingToken);
                }

                try
                {
                    await ReconcileAsync(stoppingToken);
                    if (!Role.Standby)
                    {
                        // Only the leader reports: a standby watches and keeps what it sees.
                        controlMetrics?.Publish(statuses.Values);
                        await statusWriter.WriteAsync(statuses.Values, stoppingToken);
                    }
                }
                catch (Exception exception) when (exception is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
                {
                    Log.ReconcileFailed(logger, exception);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping.
        }
        finally
        {
            await StopAllAsync();
        }
    }

    private void Trigger()
    {
        try
        {
            trigger.Release();
        }
        catch (SemaphoreFullException)
        {
            // A reconcile is already due.
        }
    }

    private async Task ReconcileAsync(CancellationToken cancellationToken)
    {
        if (!repoStore.Synced || !ruleStore.Synced || !clusterRuleStore.Synced || !namespaces.Synced)
        {
            return;
        }

        if (await served.RefreshAsync(cancellationToken))
        {
            everyRule = true;
        }

        if (everything)
        {
            everything = false;
            everyRule = true;
            QueueAll(repoQueue, SpecReader.GitRepoConfigKind, repoStore);
        }

        if (everyRule)
        {
            everyRule = false;
            QueueAll(ruleQueue, SpecReader.WatchRuleKind, ruleStore);
            QueueAll(ruleQueue, SpecReader.ClusterWatchRuleKind, clusterRuleStore);
        }

        // GitRepoConfigs first: a rule resolves against its repository's capture as it now is.
        var reconciledKeys = await repoQueue.DrainAsync(new KeyReconciler(ReconcileRepoAsync), Failed, cancellationToken)
            + await ruleQueue.DrainAsync(RuleReconciler(), Failed, cancellationToken);
        if (reconciledKeys == 0 && reconciled)
        {
            return;
        }

        if (registration is not null)
        {
            // Before new watches start, so that their changes can be attributed; a failure leaves attribution to field managers.
            try
            {
                await registration.SyncAsync(Active().SelectMany(active => active.Resources), cancellationToken);
            }
            catch (Exception exception) when (exception is HttpRequestException or InvalidOperationException or System.Security.Cryptography.CryptographicException)
            {
                Log.AttributionNotRegistered(logger, exception.Message);
            }
        }

        await captured.ReconcileAsync(captures.All, [.. Active()], SelectedNamespaces, cancellationToken);
        reconciled = true;
    }

    private IEnumerable<string> SelectedNamespaces(LabelMatcher selector) =>
        namespaces.Objects.Where(ns => selector.Matches(ReflectedObjects.LabelsOf(ns))).Select(ns => (string?)ns["metadata"]?["name"] ?? "");

    private async Task StopAllAsync()
    {
        await captured.DisposeAsync();
        foreach (var running in metaReflectors)
        {
            await running.DisposeAsync();
        }

        if (Role.Standby)
        {
            Journals = captures.Journals();
        }

        await captures.RemoveAllAsync();
    }
}
