using Polly;
using Polly.CircuitBreaker;
using Polly.Retry;

namespace GitOpsReverser.Git.Transport;

/// <summary>
/// The resilience pipeline around a worker's fetches and pushes: two quick retries of a transient
/// failure (exponential backoff from 200 ms, with jitter), inside a circuit breaker that stops trying
/// for 15 s after three failures in a row. Other failures (authentication, trust, rejection,
/// configuration) pass straight through: retrying them at once would not help.
/// </summary>
internal static class RemoteResilience
{
    public static ResiliencePipeline Build(TimeProvider time)
    {
        var transient = new PredicateBuilder().Handle<GitRemoteException>(exception => exception.Kind == GitFailureKind.Transient);
        return new ResiliencePipelineBuilder { TimeProvider = time }
            .AddCircuitBreaker(new CircuitBreakerStrategyOptions
            {
                ShouldHandle = transient,
                FailureRatio = 1.0,
                MinimumThroughput = 3,
                SamplingDuration = TimeSpan.FromSeconds(60),
                BreakDuration = TimeSpan.FromSeconds(15),
            })
            .AddRetry(new RetryStrategyOptions
            {
                ShouldHandle = transient,
                MaxRetryAttempts = 2,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = TimeSpan.FromMilliseconds(200),
            })
            .Build();
    }
}
