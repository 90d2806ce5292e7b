using System.Globalization;
using System.Text;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Logging.Console;
using Microsoft.Extensions.Options;

namespace GitOpsReverser.Hosting;

/// <summary>
/// The operator's log lines: <c>2026-12-06T09:00:00.000Z info: Category[EventId] message</c>, one line per entry,
/// as the simple console formatter writes them in single-line mode, with every control character and every
/// Unicode direction override escaped (<c>\n</c>, <c>\u001b</c>, <c>\u202e</c>). Log messages carry names,
/// users and messages that came from requests and objects: none of them can start a forged line, move the
/// cursor, recolour the terminal or reverse the text a reader sees.
/// </summary>
internal sealed class EscapingConsoleFormatter(IOptionsMonitor<ConsoleFormatterOptions> options, TimeProvider time) : ConsoleFormatter(FormatterName)
{
    public const string FormatterName = "gitops-reverser";

    public override void Write<TState>(in LogEntry<TState> logEntry, IExternalScopeProvider? scopeProvider, TextWriter textWriter)
    {
        var message = logEntry.Formatter(logEntry.State, logEntry.Exception);
        if (logEntry.Exception is null && string.IsNullOrEmpty(message))
        {
            return;
        }

        var settings = options.CurrentValue;
        var line = new StringBuilder(message.Length + 96);
        if (settings.TimestampFormat is { } format)
        {
            var now = settings.UseUtcTimestamp ? time.GetUtcNow() : time.GetLocalNow();
            line.Append(now.ToString(format, CultureInfo.InvariantCulture));
        }

        line.Append(Level(logEntry.LogLevel)).Append(": ").Append(logEntry.Category)
            .Append('[').Append(logEntry.EventId.Id.ToString(CultureInfo.InvariantCulture)).Append("] ");
        Escape(message, line);
        if (logEntry.Exception is { } exception)
        {
            line.Append(' ');
            Escape(exception.ToString().ReplaceLineEndings(" "), line);
        }

        textWriter.Write(line.Append('\n').ToString());
    }

    /// <summary>Appends <paramref name="text"/> with control characters and direction overrides written as escapes.</summary>
    public static void Escape(string text, StringBuilder into)
    {
        foreach (var c in text)
        {
            switch (c)
            {
                case '\n':
                    into.Append("\\n");
                    break;
                case '\r':
                    into.Append("\\r");
                    break;
                case '\t':
                    into.Append("\\t");
                    break;
                case var _ when char.IsControl(c) || c is '\u2028' or '\u2029' or '\u200e' or '\u200f' or (>= '\u202a' and <= '\u202e') or (>= '\u2066' and <= '\u2069'):
                    into.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                    break;
                default:
                    into.Append(c);
                    break;
            }
        }
    }

    private static string Level(LogLevel level) => level switch
    {
        LogLevel.Trace => "trce",
        LogLevel.Debug => "dbug",
        LogLevel.Information => "info",
        LogLevel.Warning => "warn",
        LogLevel.Error => "fail",
        LogLevel.Critical => "crit",
        _ => "none",
    };
}
