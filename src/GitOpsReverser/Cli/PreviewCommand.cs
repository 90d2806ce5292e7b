using System.CommandLine;
using System.Text.Json.Nodes;
using GitOpsReverser.Git.Layout;
using GitOpsReverser.Hosting;
using GitOpsReverser.Kube;
using GitOpsReverser.Manifests;
using GitOpsReverser.Sanitizing;
using GitOpsReverser.Specs;
using Microsoft.Extensions.Options;

namespace GitOpsReverser.Cli;

/// <summary>
/// <c>gitops-reverser preview -f rule.yaml</c>: what a WatchRule or ClusterWatchRule would capture on the
/// current cluster, read with the same discovery, selection and filters as the operator, writing nothing.
/// </summary>
internal static partial class PreviewCommand
{
    public const int FailedExitCode = 1;
    public const int InvalidRuleExitCode = 2;
    private const int ShownPaths = 20;
    private const string DefaultOperatorNamespace = "gitops-reverser-system";

    public static Command Create()
    {
        var file = new Option<string>("--filename", "-f")
        {
            Description = "A file with one WatchRule or ClusterWatchRule (and optionally its GitRepoConfig); - reads standard input.",
            Required = true,
        };
        var kubeconfig = new Option<string?>("--kubeconfig") { Description = "The kubeconfig file (default: KUBECONFIG, ~/.kube/config, or in-cluster)." };
        var context = new Option<string?>("--context") { Description = "The kubeconfig context (default: its current context)." };
        var ns = new Option<string>("--namespace")
        {
            Description = "The operator's namespace: WatchRules there act cluster-wide, elsewhere only in their own.",
            DefaultValueFactory = _ => DefaultOperatorNamespace,
        };
        var all = new Option<bool>("--all") { Description = $"List every path, not only the first {ShownPaths}." };
        var command = new Command("preview", "Show what a rule would capture on the current cluster, without writing anything.")
        {
            file, kubeconfig, context, ns, all,
        };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var options = new Control.OperatorOptions { Kubeconfig = parseResult.GetValue(kubeconfig), Context = parseResult.GetValue(context) };
            return await RunAsync(parseResult.GetValue(file)!, options, parseResult.GetValue(ns)!, parseResult.GetValue(all),
                Console.In, Console.Out, Console.Error, cancellationToken);
        });
        return command;
    }

    public static async Task<int> RunAsync(string file, Control.OperatorOptions connection, string operatorNamespace, bool all,
        TextReader stdin, TextWriter stdout, TextWriter stderr, CancellationToken cancellationToken)
    {
        string input;
        try
        {
            input = file == "-" ? await stdin.ReadToEndAsync(cancellationToken) : await File.ReadAllTextAsync(file, cancellationToken);
        }
        catch (IOException exception)
        {
            await stderr.WriteLineAsync($"error: cannot read {file}: {exception.Message}");
            return FailedExitCode;
        }

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

        if (Read(input, configuration.Namespace ?? "default", out var ruleObject, out var repoObject) is { } problem)
        {
            await stderr.WriteLineAsync($"error: {problem}");
            return InvalidRuleExitCode;
        }

        var kind = (string)ruleObject!["kind"]!;
        CaptureRule rule;
        try
        {
            rule = SpecReader.ReadRule(kind, ruleObject, operatorNamespace);
        }
        catch (SpecException exception)
        {
            await stderr.WriteLineAsync($"error: {SpecReader.KeyOf(kind, ruleObject)} is not valid ({exception.Reason}): {exception.Message}");
            return InvalidRuleExitCode;
        }

        using var http = KubernetesHttp.Create(configuration);
        try
        {
            var repoSource = "from the file";
            if (repoObject is null)
            {
                repoObject = await ReadFromClusterAsync(http, rule.Repo, cancellationToken);
                repoSource = repoObject is null ? "not on the cluster: the rule would not be Ready (GitRepoConfigNotFound); paths from the repository root" : "from the cluster";
            }

            RepositoryLayout layout;
            SecretPolicy? repoPolicy;
            IReadOnlyList<IgnoredFields> repoIgnores;
            string? tenant;
            try
            {
                var repo = repoObject is null ? null : SpecReader.ReadRepo(repoObject);
                layout = new RepositoryLayout(repo?.BaseFolder ?? "");
                repoPolicy = repo?.SecretPolicy;
                repoIgnores = repo?.IgnoreFields ?? [];
                tenant = rule.Repo.Namespace == operatorNamespace ? null
                    : $"{rule.Repo.Namespace}/{repo?.ServiceAccountName ?? "default (or the operator's --default-service-account)"}";
            }
            catch (SpecException exception)
            {
                await stderr.WriteLineAsync($"error: {rule.Repo} is not valid ({exception.Reason}): {exception.Message}");
                return InvalidRuleExitCode;
            }

            await new Preview(new ApiServerClient(http), new ApiDiscovery(http), rule with { IgnoreFields = rule.IgnoreFields ?? repoIgnores }, layout, repoSource, all,
                    stdout, rule.SecretPolicy ?? repoPolicy)
                .WriteAsync(cancellationToken);
            if (tenant is not null)
            {
                // The tenancy checks ask RBAC as the operator does; this preview reads with your own identity.
                await stdout.WriteLineAsync(
                    $"A tenant's repository: the operator captures only the kinds service account {tenant} may list and watch there " +
                    "(kubectl auth can-i list KIND -n NAMESPACE --as=system:serviceaccount:NAMESPACE:ACCOUNT tells); this preview does not check it.");
            }
            return 0;
        }
        catch (Exception exception) when (exception is HttpRequestException or ApiServerException or TaskCanceledException)
        {
            await stderr.WriteLineAsync($"error: cannot read the cluster at {configuration.Host}: {exception.Message}");
            return FailedExitCode;
        }
    }

    private static async Task<JsonObject?> ReadFromClusterAsync(HttpClient http, ResourceKey repo, CancellationToken cancellationToken)
    {
        using var response = await http.GetAsync(
            $"apis/configbutler.ai/v1alpha1/namespaces/{Uri.EscapeDataString(repo.Namespace ?? "")}/gitrepoconfigs/{Uri.EscapeDataString(repo.Name)}", cancellationToken);
        return response.IsSuccessStatusCode ? JsonNode.Parse(await response.Content.ReadAsStringAsync(cancellationToken)) as JsonObject : null;
    }

    // The rule (exactly one) and, when the file has one, the GitRepoConfig it names; or what is wrong.
    private static string? Read(string input, string defaultNamespace, out JsonObject? rule, out JsonObject? repo)
    {
        rule = repo = null;
        var rules = new List<JsonObject>();
        var repos = new List<JsonObject>();
        foreach (var item in ManifestReader.ReadObjects(input))
        {
            if (!item.IsValid)
            {
                return $"{item.Location}: {item.Error}";
            }

            var obj = (JsonObject)ManifestJson.ToJsonNode(item.Manifest!)!;
            var (apiVersion, kind) = ((string?)obj["apiVersion"], (string?)obj["kind"]);
            if (apiVersion != "configbutler.ai/v1alpha1")
            {
                continue;
            }

            if (kind == SpecReader.WatchRuleKind || kind == SpecReader.GitRepoConfigKind)
            {
                // As kubectl apply places an object without a namespace: in the context's namespace.
                var metadata = obj["metadata"] as JsonObject ?? [];
                metadata["namespace"] ??= defaultNamespace;
                obj["metadata"] = metadata;
            }

            (kind == SpecReader.GitRepoConfigKind ? repos : kind is SpecReader.WatchRuleKind or SpecReader.ClusterWatchRuleKind ? rules : []).Add(obj);
        }

        if (rules.Count != 1)
        {
            return rules.Count == 0
                ? "the file holds no WatchRule or ClusterWatchRule (apiVersion configbutler.ai/v1alpha1)"
                : $"the file holds {rules.Count} rules; preview one at a time";
        }

        rule = rules[0];
        var reference = rule["spec"]?["gitRepoConfigRef"];
        var (repoName, repoNamespace) = reference is JsonObject named
            ? ((string?)named["name"], (string?)named["namespace"])
            : ((string?)reference, (string?)rule["metadata"]?["namespace"]);
        repo = repos.FirstOrDefault(candidate => (string?)candidate["metadata"]?["name"] == repoName && (string?)candidate["metadata"]?["namespace"] == repoNamespace);
        return null;
    }
}
