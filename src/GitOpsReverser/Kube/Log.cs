using Microsoft.Extensions.Logging;

namespace GitOpsReverser.Kube;

/// <summary>The watch engine's log messages.</summary>
internal static partial class Log
{
    [LoggerMessage(101, LogLevel.Information, "Listed {Resource}: {Count} objects at resourceVersion {ResourceVersion} (relist: {Relist})")]
    public static partial void Listed(ILogger logger, string resource, int count, string resourceVersion, bool relist);

    [LoggerMessage(102, LogLevel.Information, "Watch of {Resource} from resourceVersion {ResourceVersion} expired (410); listing again")]
    public static partial void Expired(ILogger logger, string resource, string resourceVersion);

    [LoggerMessage(103, LogLevel.Warning, "Not allowed to list or watch {Resource}: {Message}")]
    public static partial void Forbidden(ILogger logger, string resource, string message);

    [LoggerMessage(104, LogLevel.Warning, "List or watch of {Resource} failed: {Message}; retrying in {DelayMilliseconds} ms")]
    public static partial void Failed(ILogger logger, string resource, string message, double delayMilliseconds);

    [LoggerMessage(105, LogLevel.Information, "Watch of {Resource} was silent for {Seconds} s; starting it again")]
    public static partial void Silent(ILogger logger, string resource, double seconds);

    [LoggerMessage(106, LogLevel.Warning, "The API server does not serve {Resource} (404); trying again later")]
    public static partial void NotFound(ILogger logger, string resource);
}
