using GitOpsReverser.Git;
using GitOpsReverser.Tests.TestSupport;

namespace GitOpsReverser.Tests.Git;

public sealed class ChangeQueueTests
{
    private static GitChange Change(string path, string content) =>
        RunningWorker.Change(path, System.Text.Encoding.UTF8.GetBytes(content), path, "u", null, GitOpsReverser.Git.ChangeOperation.Update);

    [Test]
    public async Task Full_ProducersOfNewPathsWait_ChangesToQueuedPathsCoalesceAtOnce()
    {
        var queue = new ChangeQueue(capacity: 2);
        await queue.EnqueueAsync(Change("a", "1"), default);
        await queue.EnqueueAsync(Change("b", "1"), default);

        var third = queue.EnqueueAsync(Change("c", "1"), default).AsTask();
        await queue.EnqueueAsync(Change("a", "2"), default);
        await Task.Delay(50);

        third.IsCompleted.Should().BeFalse("the queue holds two paths already");
        queue.Count.Should().Be(2);
        queue.Coalesced.Should().Be(1);
        queue.TryDequeue(out var first).Should().BeTrue();
        first.Path.Should().Be("a");
        System.Text.Encoding.UTF8.GetString(first.Content!).Should().Be("2");
        await third.WaitAsync(TimeSpan.FromSeconds(5));
        queue.TryDequeue(out var second).Should().BeTrue();
        second.Path.Should().Be("b");
        queue.TryDequeue(out var last).Should().BeTrue();
        last.Path.Should().Be("c");
        queue.TryDequeue(out _).Should().BeFalse();
    }
}
