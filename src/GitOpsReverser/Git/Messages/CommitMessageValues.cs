using System.Globalization;

namespace GitOpsReverser.Git.Messages;

/// <summary>The placeholder values of a change, as both the default message and templates print them.</summary>
internal static class CommitMessageValues
{
    public const string UnknownUser = "unknown";

    public static string Operation(ChangeDescription change) => change.Operation.ToString().ToUpperInvariant();

    public static string Timestamp(ChangeDescription change) =>
        change.Timestamp.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    /// <summary>The user who made the change, when the attribution webhook saw it.</summary>
    public static string? User(ChangeDescription change) =>
        string.IsNullOrWhiteSpace(change.User) ? null : SingleLine(change.User);

    /// <summary>The object's last field manager, when known.</summary>
    public static string? Manager(ChangeDescription change) =>
        string.IsNullOrWhiteSpace(change.Manager) ? null : SingleLine(change.Manager);

    /// <summary>The user's groups, comma-separated; empty when not known.</summary>
    public static string Groups(ChangeDescription change) => SingleLine(string.Join(", ", change.Groups));

    /// <summary>Who: the user when known, else the field manager, else <see cref="UnknownUser"/>.</summary>
    public static string Who(ChangeDescription change) => User(change) ?? Manager(change) ?? UnknownUser;

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
