using Microsoft.Extensions.Logging;

namespace GitOpsReverser.Git;

/// <summary>The Git pipeline's log messages. Never a credential, never file content.</summary>
internal static partial class Log
{
    [LoggerMessage(1, LogLevel.Information, "Repository {Repository}: local clone at {Path}, branch {Branch}, {Unpushed} unpushed commits")]
    public static partial void CloneOpened(ILogger logger, string repository, string path, string branch, int unpushed);

    [LoggerMessage(2, LogLevel.Debug, "Repository {Repository}: pushed {Commits} commits in {Milliseconds} ms")]
    public static partial void Pushed(ILogger logger, string repository, int commits, long milliseconds);

    [LoggerMessage(3, LogLevel.Warning, "Repository {Repository}: {Message}")]
    public static partial void RemoteFailed(ILogger logger, string repository, string message);

    [LoggerMessage(13, LogLevel.Information,
        "Repository {Repository}: took over with {Changes} changes the standby saw; {Committed} were on the branch already, {Remaining} are committed now")]
    public static partial void TookOver(ILogger logger, string repository, int changes, int committed, int remaining);

    [LoggerMessage(4, LogLevel.Information,
        "Repository {Repository}: the branch moved; re-made {Commits} pending commits on the remote head ({Dropped} changes dropped for newer remote commits, {Reapplied} re-applied over older ones)")]
    public static partial void Replayed(ILogger logger, string repository, int commits, int dropped, int reapplied);

    [LoggerMessage(5, LogLevel.Information, "Repository {Repository}: packed the clone after {Commits} commits in {Milliseconds} ms")]
    public static partial void Packed(ILogger logger, string repository, int commits, long milliseconds);

    [LoggerMessage(6, LogLevel.Information, "Repository {Repository}: stopped with {Unpushed} unpushed commits (pushed by the next run)")]
    public static partial void Stopped(ILogger logger, string repository, int unpushed);

    [LoggerMessage(7, LogLevel.Warning,
        "Repository {Repository}: {Bytes} bytes of changes wait (bound {MaxBytes}): changes to one object are folded into one commit ({Total} so far)")]
    public static partial void Coalescing(ILogger logger, string repository, long bytes, long maxBytes, long total);

    [LoggerMessage(8, LogLevel.Information, "Repository {Repository}: {Object} was created and deleted within {Changes} folded changes; nothing to commit")]
    public static partial void CoalescedToNothing(ILogger logger, string repository, string @object, int changes);
}
