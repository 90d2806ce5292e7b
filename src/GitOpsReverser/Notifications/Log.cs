using Microsoft.Extensions.Logging;

namespace GitOpsReverser.Notifications;

/// <summary>The notifications' log messages: never an endpoint's URL (it is a credential), never a value.</summary>
internal static partial class Log
{
    [LoggerMessage(1, LogLevel.Warning, "GitRepoConfig {Repository}: notification endpoint {Endpoint} dropped {Commits} commit(s): {Reason}")]
    public static partial void NotificationFailed(ILogger logger, string repository, string endpoint, int commits, string reason);
}
