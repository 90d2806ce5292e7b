using Microsoft.Extensions.Logging;

namespace GitOpsReverser.Rules;

/// <summary>The control loop's log messages.</summary>
internal static partial class Log
{
    [LoggerMessage(201, LogLevel.Information, "Watching the operator's objects; WatchRules in {Namespace} act cluster-wide")]
    public static partial void Started(ILogger logger, string @namespace);

    [LoggerMessage(202, LogLevel.Warning, "{Object} is not ready ({Reason}): {Message}")]
    public static partial void ObjectNotReady(ILogger logger, string @object, string reason, string message);

    [LoggerMessage(203, LogLevel.Information, "{Object}: committing to {Url} branch {Branch}")]
    public static partial void RepositoryStarted(ILogger logger, string @object, string url, string branch);

    [LoggerMessage(204, LogLevel.Information, "Watching {Resource}")]
    public static partial void WatchStarted(ILogger logger, string resource);

    [LoggerMessage(205, LogLevel.Information, "No rule needs {Resource} any more; its watch stops")]
    public static partial void WatchStopped(ILogger logger, string resource);

    [LoggerMessage(206, LogLevel.Error, "Reconciling the rules failed; trying again with the next change")]
    public static partial void ReconcileFailed(ILogger logger, Exception exception);

    [LoggerMessage(207, LogLevel.Error, "An event of {Resource} could not be processed")]
    public static partial void EventFailed(ILogger logger, string resource, Exception exception);

    [LoggerMessage(208, LogLevel.Information, "{Repository}: resync done, {Changes} change(s) committed as one [RESYNC] commit")]
    public static partial void Resynced(ILogger logger, string repository, int changes);

    [LoggerMessage(209, LogLevel.Error, "{Repository}: the Git worker stopped on an error; starting it again after a pause")]
    public static partial void WorkerFailed(ILogger logger, string repository, Exception exception);

    [LoggerMessage(210, LogLevel.Warning, "{Repository}: the local clone failed twice in a row and was moved to {Path}; a fresh clone replaces it")]
    public static partial void CloneMovedAside(ILogger logger, string repository, string path);
}
