using GitOpsReverser.Git.Pipeline;
using Microsoft.Extensions.Time.Testing;

namespace GitOpsReverser.UnitTests.Git;

/// <summary>When commits go to the remote: windows, limits, requests and back-off, on a clock that moves only when told.</summary>
public sealed class PushScheduleTests
{
    private static readonly TimeSpan Quiet = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan MaxDelay = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan PermanentRetry = TimeSpan.FromSeconds(60);
    private const int MaxCommits = 5;

    private readonly FakeTimeProvider time = new(DateTimeOffset.Parse("2026-12-06T10:00:00Z", System.Globalization.CultureInfo.InvariantCulture));

    private PushSchedule Schedule() => new(Quiet, MaxDelay, MaxCommits, PermanentRetry, time);

    [Test]
    public void NothingCommitted_IsNeverDue()
    {
        var schedule = Schedule();
        schedule.Request();
        time.Advance(TimeSpan.FromHours(1));

        schedule.IsDue.Should().BeFalse();
        schedule.UntilDue.Should().Be(Timeout.InfiniteTimeSpan);
        schedule.OldestUnpushed.Should().BeNull();
    }

    [Test]
    public void OneCommit_IsDueAfterTheQuietWindow()
    {
        var schedule = Schedule();
        schedule.Committed(pushRunning: false);

        schedule.UntilDue.Should().Be(Quiet);
        time.Advance(Quiet - TimeSpan.FromMilliseconds(1));
        schedule.IsDue.Should().BeFalse();
        time.Advance(TimeSpan.FromMilliseconds(1));
        schedule.IsDue.Should().BeTrue();
    }

    [Test]
    public void CommitsThatNeverPause_AreDueAtTheMaximumDelayAfterTheOldest()
    {
        var schedule = new PushSchedule(Quiet, MaxDelay, maxCommits: 1000, PermanentRetry, time);
        var first = time.GetUtcNow();
        while (time.GetUtcNow() - first < MaxDelay)
        {
            schedule.Committed(pushRunning: false);
            schedule.IsDue.Should().BeFalse("a commit every half second keeps the quiet window from passing");
            time.Advance(TimeSpan.FromMilliseconds(500));
        }

        schedule.IsDue.Should().BeTrue();
        schedule.OldestUnpushed.Should().Be(first);
    }

    [Test]
    public void MaxCommitsWaiting_AreDueAtOnce_AndAPushCarriesAtMostThat()
    {
        var schedule = Schedule();
        for (var i = 0; i < MaxCommits + 2; i++)
        {
            schedule.Committed(pushRunning: false);
        }

        schedule.IsDue.Should().BeTrue();
        time.Advance(TimeSpan.FromSeconds(3));
        var started = time.GetUtcNow();
        schedule.Start().Should().Be(MaxCommits);
        time.Advance(TimeSpan.FromSeconds(1));
        schedule.Pushed(MaxCommits);

        schedule.Unpushed.Should().Be(2);
        schedule.OldestUnpushed.Should().Be(started, "what a push leaves behind is at least as old as its start");
    }

    [Test]
    public void ARequest_CoversTheCommitsMadeBeforeIt_NotThoseAfter()
    {
        var schedule = Schedule();
        schedule.Committed(pushRunning: false);
        schedule.Request();
        schedule.IsDue.Should().BeTrue();

        schedule.Pushed(schedule.Start());
        time.Advance(TimeSpan.FromMilliseconds(10));
        schedule.Committed(pushRunning: false);
        schedule.IsDue.Should().BeFalse("the request was made before this commit");
        schedule.UntilDue.Should().Be(Quiet);
    }

    [Test]
    public void ACommitDuringAPush_WaitsForTheNextOne_DatedFromItself()
    {
        var schedule = Schedule();
        schedule.Committed(pushRunning: false);
        time.Advance(Quiet);
        schedule.Start().Should().Be(1);
        time.Advance(TimeSpan.FromSeconds(2));
        var during = time.GetUtcNow();
        schedule.Committed(pushRunning: true);
        time.Advance(TimeSpan.FromSeconds(2));
        schedule.Pushed(1);

        schedule.Unpushed.Should().Be(1);
        schedule.OldestUnpushed.Should().Be(during);
    }

    [Test]
    public void TransientFailures_BackOffExponentially_WithJitter_UpToHalfAMinute()
    {
        var schedule = Schedule();
        schedule.Committed(pushRunning: false);
        schedule.Request();
        foreach (var seconds in new[] { 2, 4, 8, 16, 30, 30 })
        {
            schedule.Failed(transient: true);
            schedule.IsDue.Should().BeFalse();
            schedule.MayPushWhileStopping.Should().BeFalse("a stopping worker does not hammer a failing remote");
            schedule.UntilDue.Should().BeGreaterThanOrEqualTo(TimeSpan.FromSeconds(seconds * 0.5)).And.BeLessThanOrEqualTo(TimeSpan.FromSeconds(seconds * 1.5));
            time.Advance(schedule.UntilDue);
            schedule.IsDue.Should().BeTrue();
        }

        schedule.Pushed(schedule.Start());
        schedule.Committed(pushRunning: false);
        schedule.Request();
        schedule.Failed(transient: true);
        schedule.UntilDue.Should().BeLessThanOrEqualTo(TimeSpan.FromSeconds(3), "a success resets the back-off");
    }

    [Test]
    public void APermanentFailure_WaitsTheFixedRetry_AndAnOpenCircuitFiveSeconds()
    {
        var schedule = Schedule();
        schedule.Committed(pushRunning: false);
        schedule.Request();
        schedule.Failed(transient: false);
        schedule.UntilDue.Should().Be(PermanentRetry);

        time.Advance(PermanentRetry);
        schedule.CircuitOpen();
        schedule.UntilDue.Should().Be(PushSchedule.CircuitOpenRetry);
    }

    [Test]
    public void CommitsFoundInTheClone_AndReplayedCommits_GoAtOnce()
    {
        var schedule = Schedule();
        schedule.Found(0);
        schedule.IsDue.Should().BeFalse();

        schedule.Found(3);
        schedule.IsDue.Should().BeTrue();
        schedule.MayPushWhileStopping.Should().BeTrue();
        schedule.Pushed(schedule.Start());

        schedule.Committed(pushRunning: false);
        schedule.Committed(pushRunning: false);
        schedule.Replayed(2);
        schedule.IsDue.Should().BeTrue();
        schedule.Unpushed.Should().Be(2);
    }
}
