using GitOpsReverser.Control.Queue;
using Microsoft.Extensions.Time.Testing;

namespace GitOpsReverser.UnitTests.Control.Queue;

public sealed class WorkQueueTests
{
    private readonly FakeTimeProvider time = new();
    private int readySignals;

    private WorkQueue<string> Queue()
    {
        readySignals = 0;
        return new(time, () => readySignals++, TimeSpan.FromMilliseconds(200), TimeSpan.FromSeconds(1));
    }

    private static List<string> TakeAll(WorkQueue<string> queue)
    {
        var taken = new List<string>();
        while (queue.TryTake(out var key))
        {
            taken.Add(key);
            queue.Done(key);
        }

        return taken;
    }

    [Test]
    public void RepeatedKeys_Coalesce_InTheOrderTheyFirstCame()
    {
        var queue = Queue();

        queue.Add("rule-a");
        queue.Add("rule-b");
        queue.Add("rule-a");
        queue.Add("rule-a");

        queue.Count.Should().Be(2);
        TakeAll(queue).Should().Equal("rule-a", "rule-b");
        readySignals.Should().Be(2, "a key already waiting is not signalled again");
    }

    [Test]
    public void AKeyAddedWhileItIsReconciled_WaitsUntilThatReconcileIsDone()
    {
        var queue = Queue();
        queue.Add("rule-a");
        queue.TryTake(out var key).Should().BeTrue();

        queue.Add("rule-a");
        queue.Add("rule-a");

        queue.Count.Should().Be(0, "the same key is never reconciled twice at once");
        queue.Done(key);
        queue.Count.Should().Be(1);
        TakeAll(queue).Should().Equal("rule-a");
    }

    [Test]
    public void AFailedKey_ComesBackAfterABackoffThatDoublesUpToTheMaximum_AndForgetStartsItAfresh()
    {
        var queue = Queue();

        queue.AddRateLimited("repo");
        queue.Count.Should().Be(0);
        time.Advance(TimeSpan.FromMilliseconds(199));
        queue.Count.Should().Be(0);
        time.Advance(TimeSpan.FromMilliseconds(1));
        TakeAll(queue).Should().Equal("repo");

        queue.AddRateLimited("repo");
        time.Advance(TimeSpan.FromMilliseconds(399));
        queue.Count.Should().Be(0, "the second failure in a row waits twice as long");
        time.Advance(TimeSpan.FromMilliseconds(1));
        TakeAll(queue).Should().Equal("repo");

        queue.AddRateLimited("repo");
        queue.AddRateLimited("repo");
        queue.Failures("repo").Should().Be(4);
        time.Advance(TimeSpan.FromSeconds(1));
        TakeAll(queue).Should().Equal(["repo"], "the backoff stops at its maximum, and the earlier due time stays");

        queue.Forget("repo");
        queue.Failures("repo").Should().Be(0);
    }

    [Test]
    public async Task Drain_ReconcilesEachReadyKeyOnce_RetriesAFailure_AndHonoursRequeueAfter()
    {
        var queue = Queue();
        var reconciler = new RecordingReconciler { FailOnce = { "rule-b" }, RequeueAfter = { ["rule-c"] = TimeSpan.FromSeconds(30) } };
        var failures = new List<string>();
        foreach (var key in new[] { "rule-a", "rule-b", "rule-c", "rule-a" })
        {
            queue.Add(key);
        }

        (await queue.DrainAsync(reconciler, (key, _) => failures.Add(key), CancellationToken.None)).Should().Be(3);

        reconciler.Calls.Should().Equal("rule-a", "rule-b", "rule-c");
        failures.Should().Equal("rule-b");
        queue.Failures("rule-b").Should().Be(1);
        time.Advance(TimeSpan.FromMilliseconds(200));
        await queue.DrainAsync(reconciler, (key, _) => failures.Add(key), CancellationToken.None);
        reconciler.Calls.Should().Equal("rule-a", "rule-b", "rule-c", "rule-b");
        queue.Failures("rule-b").Should().Be(0, "a reconcile that succeeds forgets the failures");

        time.Advance(TimeSpan.FromSeconds(30));
        await queue.DrainAsync(reconciler, (key, _) => failures.Add(key), CancellationToken.None);
        reconciler.Calls.Should().EndWith("rule-c");
    }

    [Test]
    public async Task OneChangedKey_ReconcilesThatKeyAlone()
    {
        var queue = Queue();
        var reconciler = new RecordingReconciler();
        foreach (var key in new[] { "WatchRule team-a/configs", "WatchRule team-b/secrets", "ClusterWatchRule everything" })
        {
            queue.Add(key);
        }

        await queue.DrainAsync(reconciler, (_, _) => { }, CancellationToken.None);
        reconciler.Calls.Clear();

        queue.Add("WatchRule team-a/configs");
        queue.Add("WatchRule team-a/configs");
        await queue.DrainAsync(reconciler, (_, _) => { }, CancellationToken.None);

        reconciler.Calls.Should().Equal("WatchRule team-a/configs");
    }

    private sealed class RecordingReconciler : IReconciler<string>
    {
        public List<string> Calls { get; } = [];

        public HashSet<string> FailOnce { get; } = [];

        public Dictionary<string, TimeSpan> RequeueAfter { get; } = [];

        public Task<ReconcileResult> ReconcileAsync(string key, CancellationToken cancellationToken)
        {
            Calls.Add(key);
            if (FailOnce.Remove(key))
            {
                throw new InvalidOperationException("the API server could not be asked");
            }

            return Task.FromResult(RequeueAfter.Remove(key, out var after) ? ReconcileResult.After(after) : ReconcileResult.Done);
        }
    }
}
