using System.Text;

namespace GitOpsReverser.Git.Messages;

/// <summary>
/// A user-defined commit message with named placeholders, such as
/// <c>"{operation} {kind}/{name} ({namespace}) by {user}"</c>. <c>{{</c> and <c>}}</c> write literal braces.
/// Parsed once when configuration is loaded, so a typo is reported there, not at the first commit.
/// </summary>
internal sealed class CommitMessageTemplate
{
    public static readonly IReadOnlyList<string> Placeholders =
        ["operation", "kind", "name", "namespace", "user", "manager", "groups", "timestamp", "resourceVersion", "apiVersion"];

    // Literal text parts, and placeholder names in between: parts[0] {names[0]} parts[1] ...
    private readonly List<string> literals;
    private readonly List<string> names;

    private CommitMessageTemplate(List<string> literals, List<string> names)
    {
        this.literals = literals;
        this.names = names;
    }

    /// <summary>Parses a template; throws <see cref="FormatException"/> with the reason and position.</summary>
    public static CommitMessageTemplate Parse(string template) =>
        TryParse(template, out var parsed, out var error) ? parsed : throw new FormatException(error);

    public static bool TryParse(string template, out CommitMessageTemplate parsed, out string error)
    {
        parsed = null!;
        if (string.IsNullOrWhiteSpace(template))
        {
            error = "the commit message template is empty";
            return false;
        }

        if (template.Split('\n')[0].Trim().Length == 0)
        {
            error = "the commit message template's first line (the subject) is empty";
            return false;
        }

        var literals = new List<string>();
        var names = new List<string>();
        var current = new StringBuilder();
        for (var i = 0; i < template.Length; i++)
        {
            var c = template[i];
            if ((c == '{' || c == '}') && i + 1 < template.Length && template[i + 1] == c)
            {
                current.Append(c);
                i++;
                continue;
            }

            if (c == '}')
            {
                error = $"unexpected '}}' at position {i + 1} of the commit message template (write '}}}}' for a literal brace)";
                return false;
            }

            if (c != '{')
            {
                current.Append(c);
                continue;
            }

            var close = template.IndexOf('}', i + 1);
            if (close < 0)
            {
                error = $"unclosed '{{' at position {i + 1} of the commit message template";
                return false;
            }

            var name = template[(i + 1)..close];
            if (!Placeholders.Contains(name))
            {
                error = $"unknown placeholder {{{name}}} in the commit message template; known: {string.Join(", ", Placeholders.Select(p => $"{{{p}}}"))}";
                return false;
            }

            literals.Add(current.ToString());
            current.Clear();
            names.Add(name);
            i = close;
        }

        literals.Add(current.ToString());
        parsed = new CommitMessageTemplate(literals, names);
        error = string.Empty;
        return true;
    }

    public string Render(ChangeDescription change)
    {
        var message = new StringBuilder(literals[0]);
        for (var i = 0; i < names.Count; i++)
        {
            message.Append(Value(names[i], change)).Append(literals[i + 1]);
        }

        if (message.Length == 0 || message[^1] != '\n')
        {
            message.Append('\n');
        }

        return message.ToString();
    }

    private static string Value(string name, ChangeDescription change) => name switch
    {
        "operation" => CommitMessageValues.Operation(change),
        "kind" => change.Object.Kind,
        "name" => change.Object.Name,
        "namespace" => change.Object.Namespace ?? string.Empty,
        "user" => CommitMessageValues.Who(change),
        "manager" => CommitMessageValues.Manager(change) ?? string.Empty,
        "groups" => CommitMessageValues.Groups(change),
        "timestamp" => CommitMessageValues.Timestamp(change),
        "resourceVersion" => change.ResourceVersion ?? string.Empty,
        "apiVersion" => change.Object.ApiVersion,
        _ => throw new InvalidOperationException($"unknown placeholder {name}"),
    };
}
