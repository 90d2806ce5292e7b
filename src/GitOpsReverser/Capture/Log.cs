using Microsoft.Extensions.Logging;

namespace GitOpsReverser.Capture;

/// <summary>The capture stage's log messages.</summary>
internal static partial class Log
{
    [LoggerMessage(207, LogLevel.Error, "An event of {Resource} could not be processed")]
    public static partial void EventFailed(ILogger logger, string resource, Exception exception);
}
