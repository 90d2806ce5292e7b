using GitOpsReverser.Git;
using GitOpsReverser.Git.Pipeline;
using GitOpsReverser.IntegrationTests.TestSupport;

namespace GitOpsReverser.IntegrationTests.Git;

public sealed class ChangeQueueTests
{
    private static GitChange Change(string path, string content) =>
        RunningWorker.Change(path, System.Text.Encoding.UTF8.GetBytes(content), path, "u", null, GitOpsReverser.Git.ChangeOperation.Update);

    private static readonly long EntryBytes = new QueuedChange(Change("a", "1"), 1).Bytes;

    [Test]
    public async Task BelowTheBound_EveryChangeIsItsOwnEntry_InArrivalOrder()
    {
        var queue = new ChangeQueue(maxBytes: 1024 * 1024);
        await queue.EnqueueAsync(Change("a", "1"), default);
        await queue.EnqueueAsync(Change("b", "1"), default);
        await queue.EnqueueAsync(Change("a", "2"), default);

        queue.Count.Should().Be(3);
        queue.Coalesced.Should().Be(0);
        Drain(queue).Should().Equal(("a", "1", 1), ("b", "1", 1), ("a", "2", 1));
        queue.Bytes.Should().Be(0);
    }

    [Test]
    public async Task PastTheBound_ChangesToAWaitingPathFoldIntoItsLatestEntry_OtherPathsWait()
    {
        var coalesced = 0;
        var queue = new ChangeQueue(maxBytes: 2 * EntryBytes, () => coalesced++);
        await queue.EnqueueAsync(Change("a", "1"), default);
        await queue.EnqueueAsync(Change("b", "1"), default);

        var third = queue.EnqueueAsync(Change("c", "1"), default).AsTask();
        await queue.EnqueueAsync(Change("a", "2"), default);
        await queue.EnqueueAsync(Change("a", "3"), default);
        await Task.Delay(50);

        third.IsCompleted.Should().BeFalse("the queue is at its bound and holds nothing for c");
        queue.Count.Should().Be(2);
        (queue.Coalesced, coalesced).Should().Be((2, 2));
        queue.Bytes.Should().BeLessThanOrEqualTo(queue.MaxBytes);
        queue.TryDequeue(out var first).Should().BeTrue();
        (first.Change.Path, System.Text.Encoding.UTF8.GetString(first.Change.Content!), first.Changes).Should().Be(("a", "3", 3));
        await third.WaitAsync(TimeSpan.FromSeconds(5));
        Drain(queue).Should().Equal(("b", "1", 1), ("c", "1", 1));
    }

    [Test]
    public async Task Resyncs_AreNeverFolded()
    {
        var queue = new ChangeQueue(maxBytes: 1);
        var resync = new GitChange("\0resync/1", null, Change("a", "1").Description, [Change("a", "1")]);
        await queue.EnqueueAsync(resync, default);

        var next = queue.EnqueueAsync(resync with { Path = "\0resync/1" }, default).AsTask();
        await Task.Delay(50);

        next.IsCompleted.Should().BeFalse("a resync waits for room rather than folding into another");
        queue.TryDequeue(out _).Should().BeTrue();
        await next.WaitAsync(TimeSpan.FromSeconds(5));
    }

    private static List<(string Path, string Content, int Changes)> Drain(ChangeQueue queue)
    {
        var entries = new List<(string, string, int)>();
        while (queue.TryDequeue(out var entry))
        {
            entries.Add((entry.Change.Path, System.Text.Encoding.UTF8.GetString(entry.Change.Content ?? []), entry.Changes));
        }

        return entries;
    }
}
