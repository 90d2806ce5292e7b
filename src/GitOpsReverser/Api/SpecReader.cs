using System.Text.Json.Nodes;
using GitOpsReverser.Git.Layout;
using GitOpsReverser.Git.Messages;
using GitOpsReverser.Git.Transport;
using GitOpsReverser.Sanitizing;

namespace GitOpsReverser.Api;

/// <summary>
/// Reads the operator's custom resources into specs. The CRD schemas catch most mistakes at
/// <c>kubectl apply</c>; what a schema cannot say (selector operators with or without values,
/// durations, templates, base folders, a tenant's namespace selector) is refused here with a
/// <see cref="SpecException"/> whose reason and message become the object's Ready condition.
/// </summary>
internal static partial class SpecReader
{
    public const string WatchRuleKind = "WatchRule";
    public const string ClusterWatchRuleKind = "ClusterWatchRule";
    public const string GitRepoConfigKind = "GitRepoConfig";

    public static ResourceKey KeyOf(string kind, JsonObject obj) =>
        new(kind, (string?)obj["metadata"]?["namespace"], (string?)obj["metadata"]?["name"] ?? "");

    public static long GenerationOf(JsonObject obj) => (long?)obj["metadata"]?["generation"] ?? 0;

    /// <summary>Reads a WatchRule or ClusterWatchRule; <paramref name="operatorNamespace"/> decides whether a WatchRule is a tenant's.</summary>
    public static WatchRuleSpec ReadRule(string kind, JsonObject obj, string operatorNamespace)
    {
        var id = KeyOf(kind, obj);
        var spec = obj["spec"] as JsonObject ?? throw Invalid("spec is missing");
        ResourceKey repo;
        string? ownNamespace = null;
        if (kind == WatchRuleKind)
        {
            var name = spec["gitRepoConfigRef"] is JsonValue ? Text(spec["gitRepoConfigRef"], "gitRepoConfigRef") : null;
            repo = new ResourceKey(GitRepoConfigKind, id.Namespace, string.IsNullOrEmpty(name) ? throw Invalid("gitRepoConfigRef must name a GitRepoConfig in the same namespace") : name);
            if (id.Namespace != operatorNamespace)
            {
                ownNamespace = id.Namespace;
                if (spec["namespaceSelector"] is not null)
                {
                    throw new SpecException("NamespaceSelectorNotAllowed",
                        $"a WatchRule outside the operator's namespace ({operatorNamespace}) captures only its own namespace ({id.Namespace}); " +
                        "remove namespaceSelector, or ask an administrator for a ClusterWatchRule");
                }
            }
        }
        else
        {
            var reference = spec["gitRepoConfigRef"] as JsonObject;
            var name = Text(reference?["name"], "gitRepoConfigRef.name");
            var ns = Text(reference?["namespace"], "gitRepoConfigRef.namespace");
            if (string.IsNullOrEmpty(name) || string.IsNullOrEmpty(ns))
            {
                throw Invalid("gitRepoConfigRef needs name and namespace");
            }

            repo = new ResourceKey(GitRepoConfigKind, ns, name);
        }

        var resources = (spec["resources"] as JsonArray ?? [])
            .Select((entry, i) => new RuleResource(Text(entry?["apiVersion"], $"resources[{i}].apiVersion") ?? "", Text(entry?["kind"], $"resources[{i}].kind") ?? ""))
            .ToList();
        if (resources.Count == 0 || resources.Any(resource => resource.ApiVersion.Length == 0 || resource.Kind.Length == 0))
        {
            throw Invalid("resources must list at least one entry, each with apiVersion and kind (\"*\" allowed)");
        }

        return new WatchRuleSpec(
            id,
            GenerationOf(obj),
            repo,
            resources,
            ownNamespace,
            spec["namespaceSelector"] is { } selector ? Selector(selector, "namespaceSelector") : null,
            Selector(spec["excludeLabels"], "excludeLabels"),
            Operations(spec["operations"]),
            SecretPolicyOf(spec["secretPolicy"]),
            Names(spec["excludeFieldManagers"], "excludeFieldManagers"),
            Flag(spec["includeOwned"], "includeOwned") ?? false,
            kind == ClusterWatchRuleKind)
        {
            Include = Include(spec["include"]),
            ExcludeUsers = Names(spec["excludeUsers"], "excludeUsers"),
            ExcludeGroups = Names(spec["excludeGroups"], "excludeGroups"),
        };
    }

    /// <summary>The most commits one push may carry (<c>push.maxCommits</c>): enough for any backlog, small enough for any server.</summary>
    public const int MaxPushCommits = 10_000;

    public static RepoSpec ReadRepo(JsonObject obj)
    {
        var id = KeyOf(GitRepoConfigKind, obj);
        var spec = obj["spec"] as JsonObject ?? throw Invalid("spec is missing");
        var url = Text(spec["url"], "url");
        if (string.IsNullOrWhiteSpace(url))
        {
            throw Invalid("url is required");
        }

        url = url.Trim();
        if (RemoteUrl.CredentialProblem(url) is { } credentials)
        {
            throw new SpecException("CredentialsInUrl",
                $"url {RemoteUrl.Redact(url)} {credentials}: credentials belong in the Secret named by secretRef (username and password, or bearerToken), never in the URL; the operator does not use this URL");
        }

        var baseFolder = Text(spec["baseFolder"], "baseFolder") ?? "";
        try
        {
            _ = new RepositoryLayout(baseFolder);
        }
        catch (ArgumentException exception)
        {
            throw Invalid(exception.Message.Split(" (Parameter", 2)[0]);
        }

        var branch = Text(spec["branch"], "branch");
        branch = string.IsNullOrWhiteSpace(branch) ? "main" : branch.Trim();
        if (BranchName.Problem(branch) is { } branchProblem)
        {
            throw Invalid($"branch {(branch.Length <= 80 && !branch.Any(char.IsControl) ? $"\"{branch}\" " : "")}is not a branch name git accepts: it {branchProblem}");
        }

        var commit = spec["commit"] as JsonObject;
        var template = Text(commit?["messageTemplate"], "commit.messageTemplate");
        if (template is not null && !CommitMessageTemplate.TryParse(template, out _, out var templateError))
        {
            throw Invalid($"commit.messageTemplate: {templateError}");
        }

        var mode = Text(commit?["mode"], "commit.mode") ?? "PerChange";
        var window = TimeSpan.Zero;
        if (mode == "Window")
        {
            window = DurationOf(commit?["window"], "commit.window") ?? throw Invalid("commit.mode Window needs commit.window (for example 5s)");
        }
        else if (mode != "PerChange")
        {
            throw Invalid($"commit.mode \"{mode}\" is not PerChange or Window");
        }

        var push = spec["push"] as JsonObject;
        var maxCommits = (int?)Integer(push?["maxCommits"], "push.maxCommits", 1, MaxPushCommits);
        return new RepoSpec(
            id,
            GenerationOf(obj),
            url,
            branch,
            Text(spec["secretRef"]?["name"], "secretRef.name"),
            baseFolder,
            Text(commit?["committer"]?["name"], "commit.committer.name"),
            Text(commit?["committer"]?["email"], "commit.committer.email"),
            template,
            window,
            DurationOf(push?["interval"], "push.interval"),
            maxCommits)
        {
            UserEmailDomain = UserEmailDomain(Text(commit?["userEmailDomain"], "commit.userEmailDomain")),
            SecretPolicy = SecretPolicyOf(spec["secretPolicy"]),
            AgeRecipients = AgeRecipients(spec["encryption"]?["age"]?["recipients"]),
            RecipientsRef = RecipientsRef(spec["encryption"]?["age"]?["recipientsRef"]),
            ServiceAccountName = ServiceAccountName(spec["serviceAccountName"]),
            SigningSecretName = commit?["signing"] is JsonObject signing
                ? Text(signing["secretRef"]?["name"], "commit.signing.secretRef.name") is { Length: > 0 } signingSecret
                    ? signingSecret
                    : throw Invalid("commit.signing needs secretRef.name: a Secret of this namespace with the key ssh-privatekey")
                : null,
        };
    }

    private static string? UserEmailDomain(string? domain) =>
        domain is null || System.Text.RegularExpressions.Regex.IsMatch(domain, @"^[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?)*$")
            ? domain
            : throw Invalid($"commit.userEmailDomain \"{domain}\" is not a domain name such as example.com");

    private static LabelSelector Selector(JsonNode? node, string field)
    {
        try
        {
            return LabelSelector.Parse(node, field);
        }
        catch (FormatException exception)
        {
            throw new SpecException("InvalidSelector", exception.Message);
        }
    }

    private static CaptureOperations Operations(JsonNode? node)
    {
        if (node is not JsonArray list)
        {
            return CaptureOperations.All;
        }

        var operations = CaptureOperations.None;
        foreach (var entry in list)
        {
            operations |= Text(entry, "operations[]") switch
            {
                "CREATE" => CaptureOperations.Create,
                "UPDATE" => CaptureOperations.Update,
                "DELETE" => CaptureOperations.Delete,
                var other => throw Invalid($"operations: \"{other}\" is not CREATE, UPDATE or DELETE"),
            };
        }

        return operations == CaptureOperations.None ? CaptureOperations.All : operations;
    }

    private static HashSet<string> Names(JsonNode? node, string field) =>
        (node as JsonArray ?? []).Select(name => Text(name, $"{field}[]") ?? "").Where(name => name.Length > 0).ToHashSet(StringComparer.Ordinal);

    private static IReadOnlySet<NoiseCategory> Include(JsonNode? node)
    {
        var included = new HashSet<NoiseCategory>();
        foreach (var entry in node as JsonArray ?? [])
        {
            var name = Text(entry, "include[]") ?? "";
            included.Add(NoiseCategories.TryParse(name, out var category)
                ? category
                : throw Invalid($"include: \"{name}\" is not one of {string.Join(", ", NoiseCategories.All.Select(known => known.Name))}"));
        }

        return included;
    }

    private static SecretPolicy? SecretPolicyOf(JsonNode? node) =>
        Text(node, "secretPolicy") switch
        {
            null => null,
            var text when Enum.TryParse<SecretPolicy>(text, ignoreCase: false, out var policy) && Enum.IsDefined(policy) => policy,
            var text => throw Invalid($"secretPolicy \"{text}\" is not Fingerprint, Redact, Skip or Encrypt"),
        };

    private static TimeSpan? DurationOf(JsonNode? node, string field) =>
        Text(node, field) switch
        {
            null => null,
            var text when Duration.TryParse(text, out var duration) && duration > TimeSpan.Zero => duration,
            var text => throw Invalid($"{field} \"{text}\" is not a duration such as 500ms, 10s or 1m"),
        };

    // A service account name is a DNS subdomain (the API server's rule for ServiceAccount names).
    private static string? ServiceAccountName(JsonNode? node) =>
        Text(node, "serviceAccountName") switch
        {
            null or "" => null,
            var name when name.Length <= 253 && System.Text.RegularExpressions.Regex.IsMatch(name, @"^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$") => name,
            _ => throw Invalid("serviceAccountName is not a service account name (lower-case letters, digits, '-' and '.')"),
        };

    // The readers below never throw anything but SpecException, whatever a field holds: a value of the wrong
    // type or out of range is this object's InvalidSpec, never a failure of the reconcile of every other object.
    private static string? Text(JsonNode? node, string field) => node switch
    {
        null => null,
        JsonValue value when value.GetValueKind() == System.Text.Json.JsonValueKind.String => value.GetValue<string>(),
        _ => throw Invalid($"{field} must be a string"),
    };

    private static long? Integer(JsonNode? node, string field, long minimum, long maximum) => node switch
    {
        null => null,
        JsonValue value when value.GetValueKind() == System.Text.Json.JsonValueKind.Number && value.TryGetValue<long>(out var number)
            && number >= minimum && number <= maximum => number,
        _ => throw Invalid($"{field} must be a whole number from {minimum} to {maximum}"),
    };

    private static bool? Flag(JsonNode? node, string field) => node switch
    {
        null => null,
        JsonValue value when value.GetValueKind() is System.Text.Json.JsonValueKind.True or System.Text.Json.JsonValueKind.False => value.GetValue<bool>(),
        _ => throw Invalid($"{field} must be true or false"),
    };

    private static SpecException Invalid(string message) => new("InvalidSpec", message);
}
