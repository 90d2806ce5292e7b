using System.Net.Sockets;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;

namespace GitOpsReverser.Watching;

/// <summary>
/// One list-and-watch loop for one resource type, as client-go's reflector: a paged list, then a
/// watch from the list's resourceVersion with bookmarks. A dropped or silent stream resumes from
/// the last resourceVersion seen; 410 Gone relists and reports objects that vanished meanwhile as
/// deletions; failures back off exponentially with jitter; 403 is reported and retried slowly.
/// </summary>
internal sealed class Reflector(
    KubernetesApi api, WatchedResource resource, IReflectorHandler handler, ReflectorOptions options, TimeProvider time, ILogger logger)
{
    // The key and resourceVersion of every object the handler was told exists, to find deletions on relist.
    private readonly Dictionary<string, string> known = new(StringComparer.Ordinal);
    private volatile ReflectorStatus status = new(false, null, false, 0, 0);
    private bool listedOnce;

    public WatchedResource Resource => resource;

    public ReflectorStatus Status => status;

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        string? resourceVersion = null;
        var failures = 0;
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                resourceVersion ??= await ListAsync(cancellationToken);
                failures = 0;
                resourceVersion = await WatchAsync(resourceVersion, cancellationToken);
                status = status with { WatchRestarts = status.WatchRestarts + 1 };
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (KubernetesApiException exception) when (exception.IsExpired)
            {
                // The resourceVersion is older than the server's history: only a new list is consistent.
                Log.Expired(logger, resource.ToString(), resourceVersion ?? "");
                resourceVersion = null;
                status = status with { Relists = status.Relists + 1 };
            }
            catch (KubernetesApiException exception) when (exception.Code == 403)
            {
                Log.Forbidden(logger, resource.ToString(), exception.Message);
                status = status with { Forbidden = true, LastError = exception.Message };
                await Task.Delay(options.ForbiddenRetry, time, cancellationToken);
            }
            catch (Exception exception) when (IsTransient(exception))
            {
                failures++;
                var delay = exception is KubernetesApiException { RetryAfter: { } retryAfter } ? retryAfter : Backoff(failures);
                Log.Failed(logger, resource.ToString(), exception.Message, delay.TotalMilliseconds);
                status = status with { LastError = exception.Message };
                await Task.Delay(delay, time, cancellationToken);
            }
        }
    }

    private async Task<string> ListAsync(CancellationToken cancellationToken)
    {
        string? continueToken = null;
        string listVersion;
        var listed = new Dictionary<string, string>(StringComparer.Ordinal);
        var objects = new List<(string Key, JsonObject Object)>();
        do
        {
            var (items, version, next) = await api.ListAsync(resource, continueToken, options.PageSize, options.ListPageTimeout, cancellationToken);
            listVersion = version;
            foreach (var item in items)
            {
                var key = KeyOf(item);
                listed[key] = VersionOf(item);
                objects.Add((key, item));
            }

            continueToken = next;
        }
        while (continueToken is not null);

        foreach (var (key, obj) in objects)
        {
            await handler.HandleAsync(new ReflectorEvent.Upserted(key, obj), cancellationToken);
        }

        foreach (var vanished in known.Keys.Where(key => !listed.ContainsKey(key)).ToList())
        {
            await handler.HandleAsync(new ReflectorEvent.Deleted(vanished, null), cancellationToken);
        }

        known.Clear();
        foreach (var (key, version) in listed)
        {
            known[key] = version;
        }

        await handler.HandleAsync(new ReflectorEvent.Synced(), cancellationToken);
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
            Log.Silent(logger, resource.ToString(), options.SilenceTimeout.TotalSeconds);
        }

        return resourceVersion;
    }

    private TimeSpan Backoff(int failures)
    {
        var exponential = options.InitialBackoff.TotalMilliseconds * Math.Pow(2, Math.Min(failures - 1, 16));
        var capped = Math.Min(exponential, options.MaxBackoff.TotalMilliseconds);
        return TimeSpan.FromMilliseconds(capped * (0.5 + (Random.Shared.NextDouble() / 2)));
    }

    private static bool IsTransient(Exception exception) =>
        exception is HttpRequestException or IOException or SocketException or JsonException or TimeoutException
        || exception is KubernetesApiException { Code: 429 or >= 500 }
        || exception is OperationCanceledException;

    private static string KeyOf(JsonObject obj)
    {
        var metadata = obj["metadata"];
        var ns = (string?)metadata?["namespace"];
        var name = (string?)metadata?["name"] ?? "";
        return string.IsNullOrEmpty(ns) ? name : $"{ns}/{name}";
    }

    private static string VersionOf(JsonObject obj) => (string?)obj["metadata"]?["resourceVersion"] ?? "";
}
