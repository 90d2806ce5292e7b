using GitOpsReverser.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Logging.Console;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace GitOpsReverser.UnitTests.Hosting;

/// <summary>Log lines carry what requests and objects hold; no control character or direction override reaches the log raw.</summary>
public sealed class EscapingConsoleFormatterTests
{
    private static string Format(string message, Exception? exception = null)
    {
        var options = new OptionsMonitor(new ConsoleFormatterOptions { TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ ", UseUtcTimestamp = true });
        var formatter = new EscapingConsoleFormatter(options, new FakeTimeProvider(DateTimeOffset.Parse("2026-12-06T09:00:00Z", System.Globalization.CultureInfo.InvariantCulture)));
        using var writer = new StringWriter();
        formatter.Write(new LogEntry<string>(LogLevel.Warning, "GitOpsReverser.Control.RuleController", new EventId(202), message, exception, (state, _) => state), null, writer);
        return writer.ToString();
    }

    [Test]
    public void Write_ALine_AsTheSimpleFormatterWritesItInSingleLineMode() =>
        Format("team-a/audit is not ready").Should().Be("2026-12-06T09:00:00.000Z warn: GitOpsReverser.Control.RuleController[202] team-a/audit is not ready\n");

    [TestCase("alice\n2026-12-06T09:00:01.000Z info: forged line", "alice\\n2026-12-06T09:00:01.000Z info: forged line")]
    [TestCase("alice\rinfo: overwritten", "alice\\rinfo: overwritten")]
    [TestCase("\u001b[2J\u001b[31mred", "\\u001b[2J\\u001b[31mred")]
    [TestCase("nul\0bell\a", "nul\\u0000bell\\u0007")]
    [TestCase("evil\u202Etxt.exe", "evil\\u202etxt.exe")]
    [TestCase("line\u2028separator", "line\\u2028separator")]
    [TestCase("tab\there, ünïcödé stays", "tab\\there, ünïcödé stays")]
    public void Write_ControlCharacters_AreEscaped_SoNoLineCanBeForged(string message, string written)
    {
        var line = Format(message);

        line.Should().EndWith($"[202] {written}\n");
        line.Count(c => c == '\n').Should().Be(1);
        line.TrimEnd('\n').Any(c => char.IsControl(c) || c is '\u202e' or '\u2028').Should().BeFalse();
    }

    [Test]
    public void Write_AnException_StaysOnTheLine_Escaped()
    {
        var line = Format("failed", new InvalidOperationException("bad\u001b[0m\nvalue"));

        line.Should().Contain("failed System.InvalidOperationException: bad\\u001b[0m");
        line.Count(c => c == '\n').Should().Be(1);
    }

    private sealed class OptionsMonitor(ConsoleFormatterOptions value) : IOptionsMonitor<ConsoleFormatterOptions>
    {
        public ConsoleFormatterOptions CurrentValue => value;

        public ConsoleFormatterOptions Get(string? name) => value;

        public IDisposable? OnChange(Action<ConsoleFormatterOptions, string?> listener) => null;
    }
}
