using System.Net.Sockets;
using System.Text.Json;
using GitOpsReverser.Manifests;
using Microsoft.Extensions.Logging;
using Polly;
using Polly.Retry;

namespace GitOpsReverser.Kube;

/// <summary>
/// One list-and-watch loop for one resource type, as client-go's reflector: a paged list, then a
/// watch from the list's resourceVersion with bookmarks. A dropped or silent stream resumes from
/// the last resourceVersion seen; 410 Gone relists and reports objects that vanished meanwhile as
/// deletions; failures (401 and every other error answer included) back off exponentially with
/// jitter, through Polly; 403 is reported and retried slowly. Only cancellation ends the loop.
/// <see cref="RequestRelist"/> ends the current watch and lists again (a rule changed and its
/// repository must see every object); each list reports the ticket it started under.
/// </summary>
internal sealed class Reflector(
    ApiServerClient api, WatchedResource resource, IReflectorHandler handler, ReflectorOptions options, TimeProvider time, ILogger logger,
    WatchMetrics? metrics = null)
{
    private long listTicket;
    private long listedTicket = -1;
    private CancellationTokenSource? watching;
    // The key and resourceVersion of every object the handler was told exists, to find deletions on relist.
    private readonly Dictionary<string, string> known = new(StringComparer.Ordinal);
    private volatile ReflectorStatus status = new(false, null, false, 0, 0);
    private bool listedOnce;

    public WatchedResource Resource => resource;

    public ReflectorStatus Status => status;

    /// <summary>The ticket the next list will report in <see cref="ReflectorEvent.Synced"/> unless a relist is requested first.</summary>
    public long ListTicket => Interlocked.Read(ref listTicket);

    /// <summary>Asks for a new list; returns the ticket it (or any later list) will report.</summary>
    public long RequestRelist()
    {
        var ticket = Interlocked.Increment(ref listTicket);
        try
        {
            watching?.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // The watch has just ended; the loop sees the new ticket.
        }

        return ticket;
    }

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        using var tracked = metrics?.TrackReflector(resource.ToString(), () => status);
        var backoff = Backoff();
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                await backoff.ExecuteAsync(ListAndWatchAsync, cancellationToken);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
        }
    }

    // Where the next watch starts; null when only a list is consistent.
    private string? resourceVersion;

    // A list when one is needed, otherwise one watch until its stream ends. The answers that are not failures to
    // back off from are handled here: 410 Gone relists, 403 is reported and retried slowly, 404 waits for
    // the resource to be served. Everything else goes to the backoff.
    private async ValueTask ListAndWatchAsync(CancellationToken cancellationToken)
    {
        try
        {
            if (ListTicket > Interlocked.Read(ref listedTicket) && listedOnce)
            {
                resourceVersion = null;
                status = status with { Relists = status.Relists + 1 };
                metrics?.Relisted(resource.ToString());
            }

            if (resourceVersion is null)
            {
                // A list that succeeded ends the backoff: the watch after it starts with a clean slate.
                resourceVersion = await ListAsync(cancellationToken);
                return;
            }

            resourceVersion = await WatchAsync(resourceVersion, cancellationToken);
            if (ListTicket <= Interlocked.Read(ref listedTicket))
            {
                status = status with { WatchRestarts = status.WatchRestarts + 1 };
                metrics?.Restarted(resource.ToString());
            }
        }
        catch (ApiServerException exception) when (exception.IsExpired)
        {
            // The resourceVersion is older than the server's history: only a new list is consistent.
            Log.Expired(logger, resource.ToString(), resourceVersion ?? "");
            resourceVersion = null;
            status = status with { Relists = status.Relists + 1 };
            metrics?.Relisted(resource.ToString());
        }
        catch (ApiServerException exception) when (exception.Code == 403)
        {
            Log.Forbidden(logger, resource.ToString(), exception.Message);
            status = status with { Forbidden = true, LastError = exception.Message };
            await Task.Delay(options.ForbiddenRetry, time, cancellationToken);
        }
        catch (ApiServerException exception) when (exception.Code == 404)
        {
            // A CRD not installed yet, or removed: the engine stops reflectors nobody needs.
            Log.NotFound(logger, resource.ToString());
            status = status with { LastError = $"the API server does not serve {resource}" };
            await Task.Delay(options.MaxBackoff, time, cancellationToken);
        }
    }

    // Transient failures, and error answers only a change elsewhere cures (401 until a rotated token is
    // read, 400): exponential backoff with jitter, or the server's Retry-After, for as long as it takes.
    private ResiliencePipeline Backoff() =>
        new ResiliencePipelineBuilder { TimeProvider = time }
            .AddRetry(new RetryStrategyOptions
            {
                ShouldHandle = arguments => ValueTask.FromResult(
                    !arguments.Context.CancellationToken.IsCancellationRequested
                    && arguments.Outcome.Exception is { } exception && (IsTransient(exception) || exception is ApiServerException)),
                MaxRetryAttempts = int.MaxValue,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = options.InitialBackoff,
                MaxDelay = options.MaxBackoff,
                DelayGenerator = arguments => ValueTask.FromResult(
                    arguments.Outcome.Exception is ApiServerException { RetryAfter: { } retryAfter } ? retryAfter : (TimeSpan?)null),
                OnRetry = arguments =>
                {
                    var message = arguments.Outcome.Exception?.Message ?? "";
                    Log.Failed(logger, resource.ToString(), message, arguments.RetryDelay.TotalMilliseconds);
                    status = status with { LastError = message };
                    return ValueTask.CompletedTask;
                },
            })
            .Build();

    private async Task<string> ListAsync(CancellationToken cancellationToken)
    {
        var ticket = ListTicket;
        string? continueToken = null;
        string listVersion;
        var listed = new Dictionary<string, string>(StringComparer.Ordinal);

        // Each page goes to the handler as it arrives, so only one page of objects is held at a time. A list
        // that fails halfway has reported real objects; the next list reports them again, which changes nothing.
        do
        {
            var (items, version, next) = await api.ListAsync(resource, continueToken, options.PageSize, options.ListPageTimeout, cancellationToken);
            listVersion = version;
            foreach (var item in items)
            {
                var key = KeyOf(item);
                listed[key] = VersionOf(item);
                await handler.HandleAsync(new ReflectorEvent.Upserted(key, item), cancellationToken);
            }

            continueToken = next;
        }
        while (continueToken is not null);

        foreach (var vanished in known.Keys.Where(key => !listed.ContainsKey(key)).ToList())
        {
            await handler.HandleAsync(new ReflectorEvent.Deleted(vanished, null), cancellationToken);
        }

        known.Clear();
        foreach (var (key, version) in listed)
        {
            known[key] = version;
        }

        await handler.HandleAsync(new ReflectorEvent.Synced(ticket), cancellationToken);
        Interlocked.Exchange(ref listedTicket, ticket);
        Log.Listed(logger, resource.ToString(), listed.Count, listVersion, listedOnce);
        listedOnce = true;
        status = status with { Synced = true, LastError = null, Forbidden = false };
        return listVersion;
    }

    // Follows one watch stream; returns the resourceVersion to resume from when it ends or goes silent.
    private async Task<string> WatchAsync(string resourceVersion, CancellationToken cancellationToken)
    {
        using var silence = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        silence.CancelAfter(options.SilenceTimeout);
        watching = silence;
        if (ListTicket > Interlocked.Read(ref listedTicket))
        {
            return resourceVersion;
        }

        try
        {
            await foreach (var (type, obj) in api.WatchAsync(resource, resourceVersion, silence.Token))
            {
                silence.CancelAfter(options.SilenceTimeout);
                var version = VersionOf(obj);
                switch (type)
                {
                    case "ADDED" or "MODIFIED":
                        known[KeyOf(obj)] = version;
                        await handler.HandleAsync(new ReflectorEvent.Upserted(KeyOf(obj), obj), cancellationToken);
                        break;
                    case "DELETED":
                        known.Remove(KeyOf(obj));
                        await handler.HandleAsync(new ReflectorEvent.Deleted(KeyOf(obj), obj), cancellationToken);
                        break;
                }

                if (version.Length > 0)
                {
                    resourceVersion = version;
                }

                status = status with { LastError = null, Forbidden = false };
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            if (ListTicket <= Interlocked.Read(ref listedTicket))
            {
                Log.Silent(logger, resource.ToString(), options.SilenceTimeout.TotalSeconds);
            }
        }
        finally
        {
            watching = null;
        }

        return resourceVersion;
    }

    private static bool IsTransient(Exception exception) =>
        exception is HttpRequestException or IOException or SocketException or JsonException or TimeoutException
        || exception is ApiServerException { Code: 429 or >= 500 }
        || exception is OperationCanceledException;

    private static string KeyOf(MappingNode obj)
    {
        var metadata = obj.GetMapping("metadata");
        var ns = metadata?.GetString("namespace");
        var name = metadata?.GetString("name") ?? "";
        return string.IsNullOrEmpty(ns) ? name : $"{ns}/{name}";
    }

    private static string VersionOf(MappingNode obj) => obj.GetMapping("metadata")?.GetString("resourceVersion") ?? "";
}
