using Microsoft.Extensions.Logging;

namespace GitOpsReverser.Specs;

/// <summary>Log messages about the operator's own objects.</summary>
internal static partial class Log
{
    [LoggerMessage(301, LogLevel.Warning, "Could not write the status of {Object}: {Message}")]
    public static partial void StatusFailed(ILogger logger, string @object, string message);
}
