using Microsoft.Extensions.Logging;

namespace GitOpsReverser.Control;

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

    [LoggerMessage(208, LogLevel.Information, "{Repository}: resync done, {Changes} change(s) committed as one [RESYNC] commit")]
    public static partial void Resynced(ILogger logger, string repository, int changes);

    [LoggerMessage(220, LogLevel.Information, "{Repository}: resync done, the repository already held the cluster's state; no commit")]
    public static partial void ResyncedNothing(ILogger logger, string repository);

    [LoggerMessage(221, LogLevel.Information, "{Repository}: resyncing {Scope}")]
    public static partial void SyncStarted(ILogger logger, string repository, string scope);

    [LoggerMessage(209, LogLevel.Error, "{Repository}: the Git worker stopped on an error; starting it again after a pause")]
    public static partial void WorkerFailed(ILogger logger, string repository, Exception exception);

    [LoggerMessage(210, LogLevel.Warning, "{Repository}: the local clone failed twice in a row and was moved to {Path}; a fresh clone replaces it")]
    public static partial void CloneMovedAside(ILogger logger, string repository, string path);

    [LoggerMessage(211, LogLevel.Information, "Leader election: {Identity} is a candidate for the Lease {Namespace}/{Lease}")]
    public static partial void Candidate(ILogger logger, string identity, string @namespace, string lease);

    [LoggerMessage(212, LogLevel.Information, "Leader election: {Identity} leads; watching and committing")]
    public static partial void Leading(ILogger logger, string identity);

    [LoggerMessage(213, LogLevel.Information, "Leader election: the leader is {Leader}")]
    public static partial void NewLeader(ILogger logger, string leader);

    [LoggerMessage(214, LogLevel.Warning, "Leader election: {Identity} stopped leading (stopping: {Stopping}); it no longer watches or commits")]
    public static partial void StoppedLeading(ILogger logger, string identity, bool stopping);

    [LoggerMessage(215, LogLevel.Warning, "Leader election: {Message}")]
    public static partial void ElectionFailed(ILogger logger, string message);

    [LoggerMessage(216, LogLevel.Information, "Leader election: released the Lease {Lease}")]
    public static partial void Released(ILogger logger, string lease);

    [LoggerMessage(218, LogLevel.Warning, "{Object} could not be reconciled; it is tried again with the next reconcile")]
    public static partial void ReconcileObjectFailed(ILogger logger, string @object, Exception exception);

    [LoggerMessage(219, LogLevel.Warning,
        "{Repository}: its queue made no room for {Seconds} s (is its remote hanging?); its changes are deferred to a resync once it has room, so the watches it shares go on for every other repository")]
    public static partial void CaptureStalled(ILogger logger, string repository, double seconds);

    [LoggerMessage(217, LogLevel.Warning, "The attribution webhook is not registered ({Message}); changes are credited to field managers until it is")]
    public static partial void AttributionNotRegistered(ILogger logger, string message);
}
