using k8s;
using k8s.Autorest;
using k8s.LeaderElection;
using k8s.LeaderElection.ResourceLock;
using k8s.Models;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Polly;
using Polly.Retry;

namespace GitOpsReverser.Control;

/// <summary>
/// Runs the control loop (<see cref="RuleController"/>) as the leader only while this process may write. Without
/// leader election it leads from start to stop. With it, KubernetesClient's <see cref="LeaderElector"/>
/// holds the Lease <see cref="LeaseName"/> in the operator's namespace. While another process leads, this one
/// runs a hot standby (a controller that lists and watches what the leader does and keeps the changes it sees,
/// bounded); when it wins the Lease, the standby stops and hands those changes to a fresh leader controller, which
/// commits each one the old leader did not, then lists and converges as at any start. When a renewal fails for
/// the renew deadline, the leader is cancelled at once, before another candidate can take the Lease (it waits the
/// whole lease duration), and this process becomes a candidate, and a standby, again. A graceful stop deletes the
/// Lease it holds, so a standby takes over without waiting.
/// </summary>
internal sealed class Leadership(
    IServiceProvider services, IOptions<OperatorOptions> options, IKubernetes kubernetes, TimeProvider time, ILogger<Leadership> logger)
    : BackgroundService
{
    /// <summary>The Lease's name; the chart's Role names it.</summary>
    public const string LeaseName = "gitops-reverser";

    private volatile RuleController? controller;
    private RuleController? standby;
    private Task standbyRun = Task.CompletedTask;
    private CancellationTokenSource? standbyStop;
    private volatile bool leading;
    private volatile string? otherLeader;

    /// <summary>True while this process leads: it watches and commits.</summary>
    public bool Leading => leading;

    /// <summary>
    /// Ready to serve: a leader once its controller has synced every repository; a standby once it has
    /// seen another process lead (so a rolling update never waits on it, and a lone process that has not
    /// got the Lease yet is not called ready).
    /// </summary>
    public bool Ready => controller is { } current ? current.Ready : options.Value.LeaderElection && !leading && otherLeader is not null;

    /// <summary>This process's identity in the Lease: the pod's name, else host name and process id.</summary>
    public static string Identity =>
        Environment.GetEnvironmentVariable("POD_NAME") is { Length: > 0 } pod ? pod : $"{Environment.MachineName}-{Environment.ProcessId}";

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.LeaderElection)
        {
            leading = true;
            await RunTermAsync(stoppingToken);
            return;
        }

        var settings = options.Value;
        var ns = settings.Namespace ?? OperatorOptions.DefaultNamespace();
        var leaseLock = new LeaseLock(kubernetes, ns, LeaseName, Identity);
        Log.Candidate(logger, Identity, ns, LeaseName);

        // The Lease could not be read or written at all (API server away, RBAC): candidacy starts again
        // after a pause, growing exponentially with jitter from 2 s to 30 s; a term that led starts afresh.
        var backoff = new ResiliencePipelineBuilder { TimeProvider = time }
            .AddRetry(new RetryStrategyOptions
            {
                ShouldHandle = new PredicateBuilder().Handle<HttpOperationException>().Handle<HttpRequestException>().Handle<IOException>(),
                MaxRetryAttempts = int.MaxValue,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = TimeSpan.FromSeconds(2),
                MaxDelay = TimeSpan.FromSeconds(30),
                OnRetry = arguments =>
                {
                    Log.ElectionFailed(logger, arguments.Outcome.Exception?.Message ?? "");
                    return ValueTask.CompletedTask;
                },
            })
            .Build();
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await backoff.ExecuteAsync(token => CandidacyAsync(leaseLock, ns, settings, token), stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                // Stopping.
            }
        }
    }

    // One candidacy: an election, and the term if this process wins it, until leadership is lost. A failure
    // to reach the Lease is rethrown once the term is cleaned up, for the backoff, unless this process led.
    private async ValueTask CandidacyAsync(LeaseLock leaseLock, string ns, OperatorOptions settings, CancellationToken stoppingToken)
    {
        // The term's controller is cancelled when leadership ends; the election itself when the host
        // stops or the controller fails.
        using var term = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        using var election = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        using var elector = new LeaderElector(new LeaderElectionConfig(leaseLock)
        {
            LeaseDuration = settings.LeaseDuration,
            RenewDeadline = settings.RenewDeadline,
            RetryPeriod = settings.RetryPeriod,
        });
        var running = Task.CompletedTask;
        var led = false;
        elector.OnStartedLeading += () =>
        {
            leading = led = true;
            Log.Leading(logger, Identity);
            running = TakeOverAsync(term.Token);
            _ = running.ContinueWith(_ => election.Cancel(), CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
        };
        elector.OnStoppedLeading += () =>
        {
            // Stop writing first: the next leader may start once the Lease's duration has passed.
            term.Cancel();
            leading = false;
        };
        elector.OnNewLeader += leader =>
        {
            otherLeader = leader is { Length: > 0 } && leader != Identity ? leader : null;
            Log.NewLeader(logger, leader ?? "nobody");

            // Another process leads: this one stands by, hot (a lone first process, which takes the Lease at once, does not).
            if (otherLeader is not null && standby is null && !leading)
            {
                StartStandby(stoppingToken);
            }
        };
        elector.OnError += exception => Log.ElectionFailed(logger, exception.Message);
        Exception? unreachable = null;
        try
        {
            await elector.RunUntilLeadershipLostAsync(election.Token);
        }
        catch (OperationCanceledException) when (election.IsCancellationRequested)
        {
            // Stopping, or the controller failed (rethrown below).
        }
        catch (Exception exception) when (exception is HttpOperationException or HttpRequestException or IOException)
        {
            unreachable = exception;
        }

        term.Cancel();
        leading = false;
        await running;
        await StopStandbyAsync();
        if (led)
        {
            Log.StoppedLeading(logger, Identity, stoppingToken.IsCancellationRequested);
            if (stoppingToken.IsCancellationRequested)
            {
                await ReleaseAsync(ns);
            }
        }
        else if (unreachable is not null)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(unreachable);
        }
    }

    // A hot standby while another process leads: it watches what the leader does and keeps the changes it sees.
    private void StartStandby(CancellationToken stoppingToken)
    {
        standbyStop = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        standby = ActivatorUtilities.CreateInstance<RuleController>(services, RuleControllerRole.HotStandby);
        var current = standby;
        standbyRun = Task.Run(async () =>
        {
            await current.StartAsync(CancellationToken.None);
            await Task.WhenAny(current.ExecuteTask!, Task.Delay(Timeout.Infinite, standbyStop.Token));
            await current.StopAsync(CancellationToken.None);
        }, CancellationToken.None);
    }

    // Stops the standby, if one runs; returns what it kept, by capture fingerprint.
    private async Task<IReadOnlyDictionary<string, IReadOnlyList<Git.GitChange>>> StopStandbyAsync()
    {
        if (standby is not { } current)
        {
            return new Dictionary<string, IReadOnlyList<Git.GitChange>>();
        }

        await standbyStop!.CancelAsync();
        try
        {
            await standbyRun;
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            // A standby that failed hands over nothing: the new leader's start converges the remote.
            Log.ElectionFailed(logger, $"the standby stopped on an error: {exception.Message}");
        }

        standby = null;
        standbyStop.Dispose();
        current.Dispose();
        return current.Journals;
    }

    // Leading: the standby hands what it saw to the new leader's controller.
    private async Task TakeOverAsync(CancellationToken term)
    {
        var journals = await StopStandbyAsync();
        await RunTermAsync(term, journals);
    }

    // One term: a fresh controller, from start until the term is cancelled; a controller that fails stops the host.
    private async Task RunTermAsync(CancellationToken term, IReadOnlyDictionary<string, IReadOnlyList<Git.GitChange>>? takeover = null)
    {
        var current = ActivatorUtilities.CreateInstance<RuleController>(services, new RuleControllerRole(false, takeover));
        controller = current;
        try
        {
            await current.StartAsync(CancellationToken.None);
            await Task.WhenAny(current.ExecuteTask!, Task.Delay(Timeout.Infinite, term));
        }
        finally
        {
            await current.StopAsync(CancellationToken.None);
            controller = null;
            current.Dispose();
        }

        if (current.ExecuteTask is { IsFaulted: true } failed)
        {
            await failed;
        }
    }

    // Gives the Lease up by deleting it, only if this process still holds it: a standby creates it anew at once.
    private async Task ReleaseAsync(string ns)
    {
        try
        {
            var lease = await kubernetes.CoordinationV1.ReadNamespacedLeaseAsync(LeaseName, ns);
            if (lease.Spec?.HolderIdentity == Identity)
            {
                await kubernetes.CoordinationV1.DeleteNamespacedLeaseAsync(LeaseName, ns,
                    new V1DeleteOptions { Preconditions = new V1Preconditions { ResourceVersion = lease.Metadata.ResourceVersion } });
                Log.Released(logger, LeaseName);
            }
        }
        catch (Exception exception) when (exception is HttpOperationException or HttpRequestException or IOException)
        {
            // The Lease then expires on its own.
            Log.ElectionFailed(logger, exception.Message);
        }
    }
}
