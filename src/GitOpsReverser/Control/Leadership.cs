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
/// Runs the control loop (<see cref="RuleController"/>) only while this process may write. Without
/// leader election it runs from start to stop. With it, KubernetesClient's <see cref="LeaderElector"/>
/// holds the Lease <see cref="LeaseName"/> in the operator's namespace: each term this process leads
/// gets a fresh controller, which starts from a list and a <c>[RESYNC]</c> of the remote; when a renewal
/// fails for the renew deadline, the controller is cancelled at once, before another candidate can take
/// the Lease (it waits the whole lease duration), and this process becomes a candidate again. A
/// graceful stop deletes the Lease it holds, so a standby takes over without waiting.
/// </summary>
internal sealed class Leadership(
    IServiceProvider services, IOptions<OperatorOptions> options, IKubernetes kubernetes, TimeProvider time, ILogger<Leadership> logger)
    : BackgroundService
{
    /// <summary>The Lease's name; the chart's Role names it.</summary>
    public const string LeaseName = "gitops-reverser";

    private volatile RuleController? controller;
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
            running = RunTermAsync(term.Token);
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

    // One term: a fresh controller, from start until the term is cancelled; a controller that fails stops the host.
    private async Task RunTermAsync(CancellationToken term)
    {
        var current = ActivatorUtilities.CreateInstance<RuleController>(services);
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
