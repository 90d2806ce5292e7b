using System.Globalization;

namespace GitOpsReverser.Git;

/// <summary>The placeholder values of a change, as both the default message and templates print them.</summary>
internal static class CommitMessageValues
{
    public const string UnknownUser = "unknown";

    public static string Operation(ChangeDescription change) => change.Operation.ToString().ToUpperInvariant();

    public static string Timestamp(ChangeDescription change) =>
        change.Timestamp.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    public static string? User(ChangeDescription change) =>
        string.IsNullOrWhiteSpace(change.User) ? null : SingleLine(change.User);

    /// <summary>
    /// A user name comes from outside (an admission request, a field manager): no control character in it may
    /// break the message's lines or forge a trailer.
    /// </summary>
    public static string SingleLine(string value) =>
        string.Create(value.Length, value, static (span, source) =>
        {
            for (var i = 0; i < source.Length; i++)
            {
                span[i] = char.IsControl(source[i]) ? ' ' : source[i];
            }
        });
}
