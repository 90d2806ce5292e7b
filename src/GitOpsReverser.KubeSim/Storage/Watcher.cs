using System.Threading.Channels;

namespace GitOpsReverser.KubeSim.Storage;

/// <summary>
/// One open watch: the store writes its events into an unbounded channel under the store's lock,
/// so the stream sees every change in resourceVersion order; the HTTP layer drains it. A watcher
/// that falls more than <see cref="MaxPending"/> events behind is closed, as a real API server
/// closes unresponsive watchers, and its client must resume.
/// </summary>
internal sealed class Watcher(string groupResource, ObjectFilter filter, bool bookmarks)
{
    public const int MaxPending = 200_000;

    private readonly Channel<WatchItem> channel = Channel.CreateUnbounded<WatchItem>(
        new UnboundedChannelOptions { SingleReader = false, SingleWriter = false });

    public string GroupResource { get; } = groupResource;

    public ObjectFilter Filter { get; } = filter;

    public bool Bookmarks { get; } = bookmarks;

    public ChannelReader<WatchItem> Reader => channel.Reader;

    /// <summary>True once the watch was cut off (a fault, or too slow a reader): queued events are dropped, as a broken connection drops them.</summary>
    public bool Aborted { get; private set; }

    public void Enqueue(WatchItem item)
    {
        if (channel.Reader.Count >= MaxPending)
        {
            Abort();
            return;
        }

        channel.Writer.TryWrite(item);
    }

    public void Close() => channel.Writer.TryComplete();

    public void Abort()
    {
        Aborted = true;
        Close();
    }
}
