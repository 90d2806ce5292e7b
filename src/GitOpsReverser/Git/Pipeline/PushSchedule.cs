namespace GitOpsReverser.Git.Pipeline;

/// <summary>
/// When a repository's commits go to its remote: the push policy, free of Git and I/O. Commits wait for a quiet
/// window after the last one, but no longer than a maximum delay after the oldest, and go at once when
/// enough are waiting or a push is asked for. After a failure the next attempt waits: a transient failure
/// backs off exponentially (2, 4, … 30 s, jittered), a permanent one for a fixed time, an open circuit 5 s. A
/// push carries at most the maximum number of commits, the oldest first. Everything but <see cref="Request"/> is
/// called from the worker's own loop.
/// </summary>
internal sealed class PushSchedule(TimeSpan quietWindow, TimeSpan maxDelay, int maxCommits, TimeSpan permanentFailureRetry, TimeProvider time)
{
    public static readonly TimeSpan CircuitOpenRetry = TimeSpan.FromSeconds(5);
    private DateTimeOffset? oldestUnpushed;
    private DateTimeOffset? firstCommitDuringPush;
    private DateTimeOffset lastCommit;
    private DateTimeOffset nextAttempt;
    private int consecutiveFailures;
    private long requestedAtTicks = long.MinValue;

    public PushSchedule(RepoWorkerOptions options, TimeProvider time)
        : this(options.PushQuietWindow, options.PushMaxDelay, options.PushMaxCommits, options.PermanentFailureRetry, time)
    {
    }

    /// <summary>Commits made and not yet on the remote.</summary>
    public int Unpushed { get; private set; }

    /// <summary>When the oldest unpushed commit was made (or found in the clone), or null when none waits.</summary>
    public DateTimeOffset? OldestUnpushed => Unpushed > 0 ? oldestUnpushed : null;

    /// <summary>Whether a push should start now (none is running).</summary>
    public bool IsDue => Unpushed > 0 && time.GetUtcNow() >= Due();

    /// <summary>Whether a stopping worker may try one last push: no failure asked it to wait.</summary>
    public bool MayPushWhileStopping => Unpushed > 0 && nextAttempt <= time.GetUtcNow();

    /// <summary>How long until a push is due, or infinite when nothing waits.</summary>
    public TimeSpan UntilDue => Unpushed == 0 ? Timeout.InfiniteTimeSpan : Due() - time.GetUtcNow();

    /// <summary>Asks for what was committed so far to be pushed now (commits made after this wait for their own windows).</summary>
    public void Request() => Interlocked.Exchange(ref requestedAtTicks, time.GetUtcNow().UtcTicks);

    /// <summary>Commits a previous run left in the clone (the outbox): they go as soon as the remote takes them.</summary>
    public void Found(int commits)
    {
        Unpushed = commits;
        if (commits > 0)
        {
            oldestUnpushed = time.GetUtcNow();
            Request();
        }
    }

    /// <summary>A commit was made; <paramref name="pushRunning"/> says whether a push is under way (it will not carry it).</summary>
    public void Committed(bool pushRunning)
    {
        var now = time.GetUtcNow();
        Unpushed++;
        oldestUnpushed ??= now;
        if (pushRunning)
        {
            firstCommitDuringPush ??= now;
        }

        lastCommit = now;
    }

    /// <summary>A push starts: how many of the oldest unpushed commits it carries.</summary>
    public int Start()
    {
        var commits = Math.Min(Unpushed, maxCommits);

        // What this push leaves behind is at least as old as its start.
        firstCommitDuringPush = commits < Unpushed ? time.GetUtcNow() : null;
        return commits;
    }

    public void Pushed(int commits)
    {
        Unpushed -= commits;
        oldestUnpushed = Unpushed > 0 ? firstCommitDuringPush ?? time.GetUtcNow() : null;
        consecutiveFailures = 0;
    }

    /// <summary>The remote refused or failed; the next attempt waits.</summary>
    public void Failed(bool transient)
    {
        consecutiveFailures++;
        var wait = transient
            ? TimeSpan.FromSeconds(Math.Min(30, Math.Pow(2, consecutiveFailures)) * (0.5 + Random.Shared.NextDouble()))
            : permanentFailureRetry;
        nextAttempt = time.GetUtcNow() + wait;
    }

    /// <summary>The circuit breaker is open: try again shortly.</summary>
    public void CircuitOpen() => nextAttempt = time.GetUtcNow() + CircuitOpenRetry;

    /// <summary>After a conflict the unpushed commits were replayed on the remote's head: they go at once.</summary>
    public void Replayed(int unpushed)
    {
        Unpushed = unpushed;
        Request();
    }

    private DateTimeOffset Due()
    {
        var now = time.GetUtcNow();
        if (nextAttempt > now)
        {
            return nextAttempt;
        }

        // A request covers the commits made before it, not those made after.
        var requested = Interlocked.Read(ref requestedAtTicks) >= (oldestUnpushed ?? now).UtcTicks;
        if (requested || Unpushed >= maxCommits)
        {
            return now;
        }

        var quiet = lastCommit + quietWindow;
        var latest = (oldestUnpushed ?? now) + maxDelay;
        return quiet < latest ? quiet : latest;
    }
}
