using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using GitOpsReverser.Encryption;
using GitOpsReverser.Git.History;
using GitOpsReverser.Git.Layout;
using GitOpsReverser.Hosting;
using GitOpsReverser.Kube;
using GitOpsReverser.Restore;
using Microsoft.Extensions.Options;

namespace GitOpsReverser.Cli;

/// <summary>
/// <c>gitops-reverser restore --repo PATH_OR_URL [--at COMMIT|TIME] [-n NAMESPACE] [OBJECT...] [--prune] [--apply]</c>:
/// what the cluster would become if the repository's objects at a commit were applied, object by object, from the
/// API server's own dry runs; with <c>--apply</c>, the change itself, as field manager gitops-reverser-restore.
/// </summary>
internal static partial class RestoreCommand
{
    public const int FailedExitCode = 1;
    public const int NotAllRestoredExitCode = 2;

    public static Command Create()
    {
        var objects = new Argument<string[]>("OBJECT") { Description = "Only these objects, as KIND/NAME (ConfigMap/app-config) or KIND.GROUP/NAME.", Arity = ArgumentArity.ZeroOrMore };
        var repo = new Option<string>("--repo") { Description = "The repository: a clone's path, or an http(s) URL (credentials in GIT_USERNAME and GIT_PASSWORD).", DefaultValueFactory = _ => "." };
        var at = new Option<string?>("--at") { Description = "The commit (an id or a ref) or the time (2026-12-06T10:00:00Z: the last commit made at or before it) to restore; default: the tip." };
        var ns = new Option<string?>("--namespace", "-n") { Description = "Only this namespace's objects, and the namespace itself." };
        var branch = new Option<string?>("--branch") { Description = "The branch the operator commits to (default: the clone's HEAD)." };
        var baseFolder = new Option<string>("--base-folder") { Description = "The GitRepoConfig's baseFolder.", DefaultValueFactory = _ => string.Empty };
        var prune = new Option<bool>("--prune") { Description = "Delete live objects the repository holds now but did not hold at that commit." };
        var apply = new Option<bool>("--apply") { Description = "Change the cluster. Without it every request is a dry run and nothing changes." };
        var force = new Option<bool>("--force-conflicts") { Description = "Take fields that other field managers own, instead of reporting a conflict." };
        var showUnchanged = new Option<bool>("--show-unchanged") { Description = "List unchanged objects too (by default only counted)." };
        var identity = new Option<string?>("--age-identity") { Description = "An age identity file (age-keygen's output) to decrypt SOPS-encrypted Secrets." };
        var kubeconfig = new Option<string?>("--kubeconfig") { Description = "The kubeconfig file (default: KUBECONFIG, ~/.kube/config, or in-cluster)." };
        var context = new Option<string?>("--context") { Description = "The kubeconfig context (default: its current context)." };
        var command = new Command("restore", "Show, and with --apply make, the changes that take the cluster back to what the repository recorded at a commit.")
        {
            objects, repo, at, ns, branch, baseFolder, prune, apply, force, showUnchanged, identity, kubeconfig, context,
        };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var request = new RestoreRequest(parseResult.GetValue(ns), parseResult.GetValue(objects) ?? [], parseResult.GetValue(prune),
                parseResult.GetValue(apply), parseResult.GetValue(force));
            var source = new Source(parseResult.GetValue(repo)!, parseResult.GetValue(branch), parseResult.GetValue(baseFolder)!, parseResult.GetValue(at),
                parseResult.GetValue(identity));
            var connection = new Control.OperatorOptions { Kubeconfig = parseResult.GetValue(kubeconfig), Context = parseResult.GetValue(context) };
            return await RunAsync(source, request, connection, Console.Out, Console.Error, cancellationToken, parseResult.GetValue(showUnchanged));
        });
        return command;
    }

    /// <summary>Where the objects come from: the repository, its branch and base folder, the commit or time, and the identity file.</summary>
    public sealed record Source(string Repo, string? Branch, string BaseFolder, string? At, string? AgeIdentityFile);

    public static async Task<int> RunAsync(Source source, RestoreRequest request, Control.OperatorOptions connection, TextWriter stdout, TextWriter stderr,
        CancellationToken cancellationToken, bool showUnchanged = false)
    {
        var clock = Stopwatch.StartNew();
        IReadOnlyList<AgeIdentity> identities;
        try
        {
            identities = source.AgeIdentityFile is null ? [] : AgeIdentity.ReadFile(await File.ReadAllTextAsync(source.AgeIdentityFile, cancellationToken));
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException or FormatException)
        {
            await stderr.WriteLineAsync($"error: --age-identity {source.AgeIdentityFile}: {exception.Message}");
            return FailedExitCode;
        }

        (RecordedCommit Point, RecordedCommit Tip, IReadOnlyList<RecordedFile> Files) state;
        try
        {
            using var repository = RepositorySource.Open(source.Repo);
            state = RecordedState.Read(repository.Path, source.Branch, source.BaseFolder, source.At);
        }
        catch (ArgumentException exception)
        {
            await stderr.WriteLineAsync($"error: {source.Repo}: {exception.Message}");
            return FailedExitCode;
        }

        var layout = new RepositoryLayout(source.BaseFolder);
        var recorded = state.Files.Select(file => RecordedObject.Read(file, identities, layout)).OfType<RecordedObject>().ToList();
        k8s.KubernetesClientConfiguration configuration;
        try
        {
            configuration = OperatorServiceCollectionExtensions.KubernetesConnection(connection);
        }
        catch (OptionsValidationException exception)
        {
            await stderr.WriteLineAsync($"error: {exception.Message}");
            return FailedExitCode;
        }

        await stdout.WriteLineAsync($"Restoring to {Describe(state.Point)}" + (state.Point.Id == state.Tip.Id ? " (the tip)" : $"; the tip is {Describe(state.Tip)}"));
        await stdout.WriteLineAsync(request.Apply ? "Applying as field manager " + RestoreRequest.FieldManager + "." : "Dry run: nothing changes without --apply.");
        using var http = KubernetesHttp.Create(configuration);
        IReadOnlyList<ObjectOutcome> outcomes;
        try
        {
            var restorer = new Restorer(new ObjectClient(http, RestoreRequest.FieldManager), new ApiDiscovery(http));
            outcomes = await restorer.RunAsync(recorded, request, outcome => Write(outcome, stdout, showUnchanged), cancellationToken);
        }
        catch (Exception exception) when (exception is HttpRequestException or ApiServerException or TaskCanceledException)
        {
            await stderr.WriteLineAsync($"error: cannot reach the cluster at {configuration.Host}: {exception.Message}");
            return FailedExitCode;
        }

        await stdout.WriteLineAsync(Summary(outcomes, request, clock.Elapsed));
        return outcomes.Any(outcome => outcome.Action is RestoreAction.Conflict or RestoreAction.Refused) ? NotAllRestoredExitCode : 0;
    }

    private static string Describe(RecordedCommit commit) =>
        $"{commit.Id[..12]} ({commit.When.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture)}, {commit.Subject})";
}
