namespace GitOpsReverser.Kube;

/// <summary>The API server answered a list or watch with an error Status (or an HTTP error without one).</summary>
internal sealed class ApiServerException(int code, string reason, string message, TimeSpan? retryAfter = null)
    : Exception($"{code} {reason}: {message}")
{
    public int Code { get; } = code;

    public string Reason { get; } = reason;

    /// <summary>The server's Retry-After, when it sent one (429).</summary>
    public TimeSpan? RetryAfter { get; } = retryAfter;

    /// <summary>410 Gone / Expired: the resourceVersion is too old; list again.</summary>
    public bool IsExpired => Code == 410;
}
