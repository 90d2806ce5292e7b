using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using GitOpsReverser.KubeSim.Faults;
using GitOpsReverser.KubeSim.Storage;

namespace GitOpsReverser.KubeSim.Api;

/// <summary>
/// Serves one watch: newline-separated compact JSON events, flushed as they come; periodic
/// BOOKMARKs when asked for; ends cleanly at <c>timeoutSeconds</c>, when the client goes, or when
/// the watch is closed (a fault or too slow a reader).
/// </summary>
internal static class WatchStream
{
    private static readonly byte[] Newline = "\n"u8.ToArray();

    public static async Task RunAsync(
        HttpContext context, ResourceType type, ObjectStore store, Watcher watcher, TimeSpan? timeout, TimeSpan bookmarkInterval,
        FaultInjector faults, Func<StoredObject, bool, JsonObject>? asTable = null)
    {
        context.Response.StatusCode = 200;
        context.Response.ContentType = ApiResponses.Json;
        context.Response.Headers.CacheControl = "no-cache, private";
        using var lifetime = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted);
        if (timeout is { } limit)
        {
            lifetime.CancelAfter(limit);
        }

        var cancellationToken = lifetime.Token;
        var bookmarks = watcher.Bookmarks ? RunBookmarksAsync(store, watcher, bookmarkInterval, cancellationToken) : Task.CompletedTask;
        try
        {
            await context.Response.Body.FlushAsync(cancellationToken);
            var reader = watcher.Reader;
            var columnsSent = false;
            while (await reader.WaitToReadAsync(cancellationToken))
            {
                if (faults.WatchesStalled)
                {
                    await faults.WhileWatchesStalled(cancellationToken);
                }

                var ended = false;
                while (!watcher.Aborted && reader.TryRead(out var item))
                {
                    var table = asTable is not null && item is WatchItem.Change change ? asTable(change.Object, !columnsSent) : null;
                    columnsSent |= table is not null;
                    await context.Response.Body.WriteAsync(Encode(type, item, table), cancellationToken);
                    ended |= item is WatchItem.Error;
                }

                if (watcher.Aborted)
                {
                    // A cut connection: what was queued is lost, and the client must resume.
                    context.Abort();
                    break;
                }

                await context.Response.Body.FlushAsync(cancellationToken);
                if (ended)
                {
                    break;
                }
            }
        }
        catch (OperationCanceledException)
        {
            // Timeout or the client went away: the stream simply ends.
        }
        catch (IOException)
        {
            // The connection broke while writing.
        }
        finally
        {
            store.Unwatch(watcher);
            await lifetime.CancelAsync();
            await bookmarks;
        }
    }

    /// <summary>One event line; a change carries <paramref name="table"/> instead of the object when the watch asked for Tables.</summary>
    public static byte[] Encode(ResourceType type, WatchItem item, JsonObject? table = null)
    {
        var output = new MemoryStream();
        switch (item)
        {
            case WatchItem.Change change:
                output.Write(Encoding.UTF8.GetBytes($"{{\"type\":\"{change.Type}\",\"object\":"));
                output.Write(table is null ? ApiResponses.Render(type, change.Object).Span : JsonSerializer.SerializeToUtf8Bytes(table, KubeJson.Options));
                output.WriteByte((byte)'}');
                break;
            case WatchItem.Bookmark bookmark:
                var metadata = new JsonObject
                {
                    ["resourceVersion"] = bookmark.ResourceVersion.ToString(CultureInfo.InvariantCulture),
                    ["creationTimestamp"] = null,
                };
                if (bookmark.InitialEventsEnd)
                {
                    metadata["annotations"] = new JsonObject { ["k8s.io/initial-events-end"] = "true" };
                }

                var bookmarkEvent = new JsonObject
                {
                    ["type"] = "BOOKMARK",
                    ["object"] = new JsonObject { ["kind"] = type.Kind, ["apiVersion"] = type.GroupVersion, ["metadata"] = metadata },
                };
                output.Write(JsonSerializer.SerializeToUtf8Bytes(bookmarkEvent, KubeJson.Options));
                break;
            case WatchItem.Error error:
                output.Write(JsonSerializer.SerializeToUtf8Bytes(new JsonObject { ["type"] = "ERROR", ["object"] = error.Status }, KubeJson.Options));
                break;
        }

        output.Write(Newline);
        return output.ToArray();
    }

    private static async Task RunBookmarksAsync(ObjectStore store, Watcher watcher, TimeSpan interval, CancellationToken cancellationToken)
    {
        try
        {
            using var timer = new PeriodicTimer(interval);
            while (await timer.WaitForNextTickAsync(cancellationToken))
            {
                store.Bookmark(watcher);
            }
        }
        catch (OperationCanceledException)
        {
            // The watch ended.
        }
    }
}
