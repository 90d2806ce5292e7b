using GitOpsReverser.KubeSim.Api;
using GitOpsReverser.KubeSim.Storage;

namespace GitOpsReverser.KubeSim.Faults;

/// <summary>
/// The faults tests inject, through this class or the <c>/kubesim/faults/*</c> endpoints:
/// close every watch, compact history (older resourceVersions get 410), add latency to every
/// request, answer the next N requests with 500 or 429, and stall watch streams without closing them.
/// </summary>
internal sealed class FaultInjector(ObjectStore store)
{
    private readonly Lock gate = new();
    private TaskCompletionSource stallReleased = NewReleased();
    private int failuresLeft;
    private int failureCode;
    private int retryAfterSeconds;

    /// <summary>Delay added before every API request.</summary>
    public TimeSpan Latency { get; set; }

    public bool WatchesStalled { get; private set; }

    /// <summary>Closes every open watch stream; returns how many were open.</summary>
    public int CloseWatches() => store.CloseAllWatches();

    /// <summary>Drops all history, so watches and continue tokens from older resourceVersions get 410.</summary>
    public long Compact() => store.Compact();

    /// <summary>Answers the next <paramref name="count"/> API requests with <paramref name="statusCode"/> (500 or 429).</summary>
    public void FailNext(int count, int statusCode = 500, int retryAfterSeconds = 1)
    {
        if (statusCode is not (500 or 429 or 503 or 504))
        {
            throw new ArgumentOutOfRangeException(nameof(statusCode), statusCode, "only 429, 500, 503 and 504 are injectable");
        }

        lock (gate)
        {
            failuresLeft = count;
            failureCode = statusCode;
            this.retryAfterSeconds = retryAfterSeconds;
        }
    }

    /// <summary>Stops (or resumes) writing to open watch streams; connections stay open.</summary>
    public void StallWatches(bool stalled)
    {
        lock (gate)
        {
            if (stalled == WatchesStalled)
            {
                return;
            }

            WatchesStalled = stalled;
            if (stalled)
            {
                stallReleased = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            }
            else
            {
                stallReleased.TrySetResult();
            }
        }
    }

    /// <summary>Removes latency, pending failures and stalls.</summary>
    public void Clear()
    {
        Latency = TimeSpan.Zero;
        lock (gate)
        {
            failuresLeft = 0;
        }

        StallWatches(false);
    }

    /// <summary>Completes once watch streams may write again.</summary>
    public Task WhileWatchesStalled(CancellationToken cancellationToken)
    {
        lock (gate)
        {
            return stallReleased.Task.WaitAsync(cancellationToken);
        }
    }

    /// <summary>The injected failure for this request, if one is due.</summary>
    public ApiException? TakeFailure()
    {
        lock (gate)
        {
            if (failuresLeft <= 0)
            {
                return null;
            }

            failuresLeft--;
            return failureCode == 429
                ? new ApiException(429, "TooManyRequests", "kubesim: injected fault: too many requests, please try again later")
                {
                    RetryAfterSeconds = retryAfterSeconds,
                }
                : new ApiException(failureCode, "InternalError", $"kubesim: injected fault: HTTP {failureCode}");
        }
    }

    private static TaskCompletionSource NewReleased()
    {
        var released = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        released.SetResult();
        return released;
    }
}
