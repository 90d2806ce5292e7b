using System.CommandLine;
using System.Globalization;
using GitOpsReverser.Git.History;

namespace GitOpsReverser.Cli;

/// <summary>
/// <c>gitops-reverser history KIND/NAME [-n NAMESPACE] [--repo PATH_OR_URL] [-p]</c>: the commits that changed one object in a
/// repository the operator writes, newest first: when, the operation, who (the user the attribution webhook saw,
/// else the field manager), the commit and its subject; with <c>-p</c> each change as a diff. Secrets are in the
/// repository only as the operator wrote them (fingerprinted, redacted or encrypted), so no value can show.
/// </summary>
internal static class HistoryCommand
{
    public const int NotFoundExitCode = 3;
    public const int UsageExitCode = 1;

    public static Command Create()
    {
        var target = new Argument<string>("KIND/NAME") { Description = "The object, as KIND/NAME (ConfigMap/app-config), or KIND.GROUP/NAME where two groups share a kind." };
        var ns = new Option<string?>("--namespace", "-n") { Description = "The object's namespace; none for a cluster-scoped object." };
        var repo = new Option<string>("--repo")
        {
            Description = "The repository: a clone's path, or an http(s) URL (credentials in GIT_USERNAME and GIT_PASSWORD).",
            DefaultValueFactory = _ => ".",
        };
        var branch = new Option<string?>("--branch") { Description = "The branch the operator commits to (default: the clone's HEAD)." };
        var baseFolder = new Option<string>("--base-folder")
        {
            Description = "The GitRepoConfig's baseFolder.",
            DefaultValueFactory = _ => string.Empty,
        };
        var patch = new Option<bool>("--patch", "-p") { Description = "Show each change as a diff." };
        var command = new Command("history", "List the commits that changed one object, newest first.") { target, ns, repo, branch, baseFolder, patch };
        command.SetAction(parseResult => Run(parseResult.GetValue(target)!, parseResult.GetValue(ns), parseResult.GetValue(repo)!, parseResult.GetValue(branch),
            parseResult.GetValue(baseFolder)!, parseResult.GetValue(patch), Console.Out, Console.Error));
        return command;
    }

    public static int Run(string target, string? ns, string repo, string? branch, string baseFolder, bool withPatch, TextWriter stdout, TextWriter stderr)
    {
        var slash = target.IndexOf('/', StringComparison.Ordinal);
        if (slash <= 0 || slash == target.Length - 1)
        {
            stderr.WriteLine($"error: {target} is not KIND/NAME (for example ConfigMap/app-config)");
            return UsageExitCode;
        }

        (string? Path, IReadOnlyList<HistoryEntry> Entries) history;
        try
        {
            using var source = RepositorySource.Open(repo);
            history = ObjectHistory.Of(source.Path, branch, baseFolder, target[..slash], ns, target[(slash + 1)..], withPatch);
        }
        catch (Exception exception) when (exception is InvalidOperationException or ArgumentException)
        {
            stderr.WriteLine($"error: {repo}: {exception.Message}");
            return UsageExitCode;
        }

        if (history.Path is null)
        {
            stderr.WriteLine($"error: {target}{(ns is null ? "" : $" in namespace {ns}")} was never in this repository's {branch ?? "HEAD"}" +
                (baseFolder.Length == 0 ? "" : $" under {baseFolder}"));
            return NotFoundExitCode;
        }

        stdout.WriteLine($"{history.Path}: {history.Entries.Count} commit(s)");
        var width = history.Entries.Count == 0 ? 0 : history.Entries.Max(entry => entry.Who.Length);
        foreach (var entry in history.Entries)
        {
            stdout.WriteLine($"{entry.When.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture)}  {entry.Operation,-6}  " +
                $"{entry.Who.PadRight(width)}  {entry.Id[..12]}  {entry.Subject}");
            if (entry.Patch is { } diff)
            {
                stdout.WriteLine(diff.TrimEnd('\n'));
                stdout.WriteLine();
            }
        }

        return 0;
    }
}
