using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;

namespace GitOpsReverser.Notifications;

/// <summary>
/// The body of one message for a batch of commits, in the endpoint's form, and its content type. Every form carries
/// the same facts: each commit's subject, who, when, link (or id) and the objects it changed with the names of the
/// changed fields. No value of any object is ever in a message.
/// </summary>
internal static class NotificationPayload
{
    public static (string Body, string ContentType) For(EndpointType type, string repository, IReadOnlyList<NotifiedCommit> commits, int more) => type switch
    {
        EndpointType.Slack => (new JsonObject { ["text"] = Slack(repository, commits, more) }.ToJsonString(), "application/json"),
        EndpointType.Teams => (Teams(repository, commits, more).ToJsonString(), "application/json"),
        EndpointType.CloudEvents => (new JsonArray([.. commits.Select(commit => CloudEvent(repository, commit))]).ToJsonString(), "application/cloudevents-batch+json"),
        _ => (new JsonObject
        {
            ["repository"] = repository,
            ["commits"] = new JsonArray([.. commits.Select(Json)]),
            ["moreCommits"] = more,
        }.ToJsonString(), "application/json"),
    };

    private static string Title(string repository, IReadOnlyList<NotifiedCommit> commits, int more) =>
        $"{repository}: {commits.Count + more} change{(commits.Count + more == 1 ? "" : "s")} pushed";

    private static string Time(DateTimeOffset when) => when.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    private static string Fields(NotifiedFile file) =>
        file.Fields.Count == 0 ? "" : $": {string.Join(", ", file.Fields)}{(file.MoreFields > 0 ? $" and {file.MoreFields} more" : "")}";

    // Slack's markup: <url|text> links; &, < and > escaped in what we did not write.
    private static string Slack(string repository, IReadOnlyList<NotifiedCommit> commits, int more)
    {
        var text = new StringBuilder($"*{Escape(Title(repository, commits, more))}*");
        foreach (var commit in commits)
        {
            var id = commit.Link is { } link ? $"<{link}|{commit.Id[..7]}>" : $"`{commit.Id[..7]}`";
            text.Append($"\n• {id} {Escape(commit.Subject)} ({Escape(commit.Who)}, {Time(commit.When)})");
            foreach (var file in commit.Files.Where(file => file.Fields.Count > 0))
            {
                text.Append($"\n    {Escape(file.ToString())}{Escape(Fields(file))}");
            }
        }

        return more > 0 ? text.Append($"\n…and {more} more in the repository").ToString() : text.ToString();

        static string Escape(string value) => value.Replace("&", "&amp;", StringComparison.Ordinal).Replace("<", "&lt;", StringComparison.Ordinal).Replace(">", "&gt;", StringComparison.Ordinal);
    }

    // A Workflows webhook takes a message whose attachment is an Adaptive Card. What others wrote (subjects, user
    // names) goes in TextRuns, which Teams never reads as Markdown, so no name can make a link; the commit's link is a
    // TextRun's action.
    private static JsonObject Teams(string repository, IReadOnlyList<NotifiedCommit> commits, int more)
    {
        var body = new JsonArray { new JsonObject { ["type"] = "TextBlock", ["text"] = Title(repository, commits, more), ["weight"] = "Bolder", ["wrap"] = true } };
        foreach (var commit in commits)
        {
            var id = new JsonObject { ["type"] = "TextRun", ["text"] = commit.Id[..7], ["fontType"] = "Monospace" };
            if (commit.Link is { } link)
            {
                id["selectAction"] = new JsonObject { ["type"] = "Action.OpenUrl", ["url"] = link };
            }

            var lines = new StringBuilder($" {commit.Subject} ({commit.Who}, {Time(commit.When)})");
            foreach (var file in commit.Files.Where(file => file.Fields.Count > 0))
            {
                lines.Append($"\n{file}{Fields(file)}");
            }

            body.Add(new JsonObject
            {
                ["type"] = "RichTextBlock",
                ["inlines"] = new JsonArray { id, new JsonObject { ["type"] = "TextRun", ["text"] = lines.ToString() } },
            });
        }

        if (more > 0)
        {
            body.Add(new JsonObject { ["type"] = "TextBlock", ["text"] = $"…and {more} more in the repository", ["wrap"] = true });
        }

        return new JsonObject
        {
            ["type"] = "message",
            ["attachments"] = new JsonArray
            {
                new JsonObject
                {
                    ["contentType"] = "application/vnd.microsoft.card.adaptive",
                    ["content"] = new JsonObject
                    {
                        ["$schema"] = "http://adaptivecards.io/schemas/adaptive-card.json",
                        ["type"] = "AdaptiveCard",
                        ["version"] = "1.4",
                        ["body"] = body,
                    },
                },
            },
        };
    }

    private static JsonObject Json(NotifiedCommit commit) => new()
    {
        ["id"] = commit.Id,
        ["url"] = commit.Link,
        ["subject"] = commit.Subject,
        ["who"] = commit.Who,
        ["time"] = Time(commit.When),
        ["objects"] = new JsonArray([.. commit.Files.Select(file => (JsonNode)new JsonObject
        {
            ["operation"] = file.Operation,
            ["kind"] = file.Kind,
            ["kindFolder"] = file.KindFolder,
            ["namespace"] = file.Namespace,
            ["name"] = file.Name,
            ["changedFields"] = new JsonArray([.. file.Fields.Select(field => (JsonNode)field)]),
            ["moreChangedFields"] = file.MoreFields,
        })]),
    };

    private static JsonObject CloudEvent(string repository, NotifiedCommit commit) => new()
    {
        ["specversion"] = "1.0",
        ["id"] = $"{repository}/{commit.Id}",
        ["source"] = $"/gitops-reverser/{repository}",
        ["type"] = "io.gitops-reverser.commit.pushed",
        ["subject"] = commit.Files.Count == 1 ? commit.Files[0].ToString() : null,
        ["time"] = Time(commit.When),
        ["datacontenttype"] = "application/json",
        ["data"] = Json(commit),
    };
}
