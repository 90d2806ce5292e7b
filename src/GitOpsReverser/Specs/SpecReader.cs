using System.Text.Json.Nodes;
using GitOpsReverser.Api.V1Alpha1;
using GitOpsReverser.Git.Layout;
using GitOpsReverser.Git.Messages;
using GitOpsReverser.Git.Transport;
using ApiPolicy = GitOpsReverser.Api.V1Alpha1.SecretPolicy;
using SecretPolicy = GitOpsReverser.Sanitizing.SecretPolicy;

namespace GitOpsReverser.Specs;

/// <summary>
/// Reads the operator's custom resources, through their types (<see cref="Api.V1Alpha1"/>), into specs. The CRD schemas catch most mistakes at
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

    /// <summary>The GitRepoConfig a WatchRule or ClusterWatchRule names, read without checking the rest of it; null when it names none.</summary>
    public static ResourceKey? RepoOf(string kind, JsonObject obj) =>
        kind == WatchRuleKind
            ? obj["spec"]?["gitRepoConfigRef"] is JsonValue name && name.TryGetValue<string>(out var text)
                ? new ResourceKey(GitRepoConfigKind, (string?)obj["metadata"]?["namespace"], text)
                : null
            : obj["spec"]?["gitRepoConfigRef"] is JsonObject reference && reference["name"] is JsonValue refName && refName.TryGetValue<string>(out var n)
                && reference["namespace"] is JsonValue refNamespace && refNamespace.TryGetValue<string>(out var ns)
                ? new ResourceKey(GitRepoConfigKind, ns, n)
                : null;

    public static long GenerationOf(JsonObject obj) => (long?)obj["metadata"]?["generation"] ?? 0;

    /// <summary>Reads a WatchRule or ClusterWatchRule; <paramref name="operatorNamespace"/> decides whether a WatchRule is a tenant's.</summary>
    public static CaptureRule ReadRule(string kind, JsonObject obj, string operatorNamespace)
    {
        var id = KeyOf(kind, obj);
        RuleSpec spec;
        ResourceKey repo;
        string? ownNamespace = null;
        if (kind == WatchRuleKind)
        {
            var rule = Typed<WatchRule>(obj).Spec ?? throw Invalid("spec is missing");
            spec = rule;
            repo = new ResourceKey(GitRepoConfigKind, id.Namespace, string.IsNullOrEmpty(rule.GitRepoConfigRef) ? throw Invalid("gitRepoConfigRef must name a GitRepoConfig in the same namespace") : rule.GitRepoConfigRef);
            if (id.Namespace != operatorNamespace)
            {
                ownNamespace = id.Namespace;
                if (rule.NamespaceSelector is not null)
                {
                    throw new SpecException("NamespaceSelectorNotAllowed",
                        $"a WatchRule outside the operator's namespace ({operatorNamespace}) captures only its own namespace ({id.Namespace}); " +
                        "remove namespaceSelector, or ask an administrator for a ClusterWatchRule");
                }
            }
        }
        else
        {
            var rule = Typed<ClusterWatchRule>(obj).Spec ?? throw Invalid("spec is missing");
            spec = rule;
            if (string.IsNullOrEmpty(rule.GitRepoConfigRef?.Name) || string.IsNullOrEmpty(rule.GitRepoConfigRef.Namespace))
            {
                throw Invalid("gitRepoConfigRef needs name and namespace");
            }

            repo = new ResourceKey(GitRepoConfigKind, rule.GitRepoConfigRef.Namespace, rule.GitRepoConfigRef.Name);
        }

        var resources = (spec.Resources ?? []).Select(entry => new RuleResource(entry?.ApiVersion ?? "", entry?.Kind ?? "")).ToList();
        if (resources.Count == 0 || resources.Any(resource => resource.ApiVersion.Length == 0 || resource.Kind.Length == 0))
        {
            throw Invalid("resources must list at least one entry, each with apiVersion and kind (\"*\" allowed)");
        }

        return new CaptureRule(
            id,
            GenerationOf(obj),
            repo,
            resources,
            ownNamespace,
            spec.NamespaceSelector is { } selector ? Selector(selector, "namespaceSelector") : null,
            Selector(spec.ExcludeLabels, "excludeLabels"),
            Operations(spec.Operations),
            PolicyOf(spec.SecretPolicy),
            Names(spec.ExcludeFieldManagers),
            spec.IncludeOwned ?? false,
            kind == ClusterWatchRuleKind)
        {
            Include = (spec.Include ?? []).ToHashSet(),
            ObjectSelector = Selector(spec.ObjectSelector, "objectSelector"),
            IgnoreFields = spec.IgnoreFields is { } ignore ? IgnoreFields(ignore) : null,
            ExcludeUsers = Names(spec.ExcludeUsers),
            ExcludeGroups = Names(spec.ExcludeGroups),
        };
    }

    // The fields that name an object: an ignoreFields pointer may not remove them.
    private static readonly string[] Identity = ["/apiVersion", "/kind", "/metadata", "/metadata/name", "/metadata/namespace"];

    private static List<IgnoredFields> IgnoreFields(IEnumerable<Api.V1Alpha1.IgnoreFieldsEntry?> entries)
    {
        var result = new List<IgnoredFields>();
        foreach (var (entry, index) in entries.Select((entry, index) => (entry, index)))
        {
            var pointers = (entry?.JsonPointers ?? []).ToList();
            var managers = (entry?.Managers ?? []).Where(manager => manager.Length > 0).ToList();
            if (entry is null || string.IsNullOrEmpty(entry.Kind) || (pointers.Count == 0 && managers.Count == 0))
            {
                throw Invalid($"ignoreFields[{index}] needs a kind, and jsonPointers or managers");
            }

            if (pointers.FirstOrDefault(pointer => !pointer.StartsWith('/') || Identity.Contains(pointer, StringComparer.Ordinal)) is { } bad)
            {
                throw Invalid($"ignoreFields[{index}].jsonPointers: {bad} is not a JSON pointer to a field other than apiVersion, kind, metadata.name or metadata.namespace");
            }

            result.Add(new IgnoredFields(entry.Group ?? "", entry.Kind, pointers, managers));
        }

        return result;
    }

    /// <summary>The most commits one push may carry (<c>push.maxCommits</c>): enough for any backlog, small enough for any server.</summary>
    public const int MaxPushCommits = 10_000;

    public static RepoSpec ReadRepo(JsonObject obj)
    {
        var id = KeyOf(GitRepoConfigKind, obj);
        var spec = Typed<GitRepoConfig>(obj).Spec ?? throw Invalid("spec is missing");
        var url = spec.Url;
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

        var baseFolder = spec.BaseFolder ?? "";
        try
        {
            _ = new RepositoryLayout(baseFolder);
        }
        catch (ArgumentException exception)
        {
            throw Invalid(exception.Message.Split(" (Parameter", 2)[0]);
        }

        var branch = string.IsNullOrWhiteSpace(spec.Branch) ? "main" : spec.Branch.Trim();
        if (BranchName.Problem(branch) is { } branchProblem)
        {
            throw Invalid($"branch {(branch.Length <= 80 && !branch.Any(char.IsControl) ? $"\"{branch}\" " : "")}is not a branch name git accepts: it {branchProblem}");
        }

        var commit = spec.Commit;
        var template = commit?.MessageTemplate;
        if (template is not null && !CommitMessageTemplate.TryParse(template, out _, out var templateError))
        {
            throw Invalid($"commit.messageTemplate: {templateError}");
        }

        var window = TimeSpan.Zero;
        if (commit?.Mode == CommitMode.Window)
        {
            window = DurationOf(commit.Window, "commit.window") ?? throw Invalid("commit.mode Window needs commit.window (for example 5s)");
        }

        var maxCommits = spec.Push?.MaxCommits;
        if (maxCommits is < 1 or > MaxPushCommits)
        {
            throw Invalid($"push.maxCommits must be a whole number from 1 to {MaxPushCommits}");
        }

        return new RepoSpec(
            id,
            GenerationOf(obj),
            url,
            branch,
            spec.SecretRef?.Name,
            baseFolder,
            commit?.Committer?.Name,
            commit?.Committer?.Email,
            template,
            window,
            DurationOf(spec.Push?.Interval, "push.interval"),
            maxCommits)
        {
            UserEmailDomain = UserEmailDomain(commit?.UserEmailDomain),
            SecretPolicy = PolicyOf(spec.SecretPolicy),
            IgnoreFields = spec.IgnoreFields is { Count: > 0 } ignoreFields ? IgnoreFields(ignoreFields) : Array.Empty<IgnoredFields>(),
            AgeRecipients = AgeRecipients(spec.Encryption?.Age?.Recipients),
            RecipientsRef = RecipientsRef(spec.Encryption?.Age?.RecipientsRef),
            ServiceAccountName = ServiceAccountName(spec.ServiceAccountName),
            Notifications = Notifications(spec.Notifications),
            SigningSecretName = commit?.Signing is { } signing
                ? signing.SecretRef?.Name is { Length: > 0 } signingSecret
                    ? signingSecret
                    : throw Invalid("commit.signing needs secretRef.name: a Secret of this namespace with the key ssh-privatekey")
                : null,
        };
    }

    private static string? UserEmailDomain(string? domain) =>
        domain is null || System.Text.RegularExpressions.Regex.IsMatch(domain, @"^[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?)*$")
            ? domain
            : throw Invalid($"commit.userEmailDomain \"{domain}\" is not a domain name such as example.com");

    private static LabelMatcher Selector(Api.V1Alpha1.LabelSelector? selector, string field)
    {
        try
        {
            return LabelMatcher.From(selector, field);
        }
        catch (FormatException exception)
        {
            throw new SpecException("InvalidSelector", exception.Message);
        }
    }

    private static CaptureOperations Operations(List<Operation>? list)
    {
        var operations = CaptureOperations.None;
        foreach (var operation in list ?? [])
        {
            operations |= operation switch
            {
                Operation.Create => CaptureOperations.Create,
                Operation.Update => CaptureOperations.Update,
                _ => CaptureOperations.Delete,
            };
        }

        return operations == CaptureOperations.None ? CaptureOperations.All : operations;
    }

    private static HashSet<string> Names(List<string>? names) =>
        (names ?? []).Where(name => !string.IsNullOrEmpty(name)).ToHashSet(StringComparer.Ordinal);

    // The API's names and the sanitizer's are the same.
    private static SecretPolicy? PolicyOf(ApiPolicy? policy) => policy is { } value ? Enum.Parse<SecretPolicy>(value.ToString()) : null;

    private static TimeSpan? DurationOf(string? text, string field) =>
        text switch
        {
            null => null,
            _ when Duration.TryParse(text, out var duration) && duration > TimeSpan.Zero => duration,
            _ => throw Invalid($"{field} \"{text}\" is not a duration such as 500ms, 10s or 1m"),
        };

    // A service account name is a DNS subdomain (the API server's rule for ServiceAccount names).
    private static string? ServiceAccountName(string? name) =>
        name switch
        {
            null or "" => null,
            _ when name.Length <= 253 && System.Text.RegularExpressions.Regex.IsMatch(name, NamePatterns.Subdomain) => name,
            _ => throw Invalid("serviceAccountName is not a service account name (lower-case letters, digits, '-' and '.')"),
        };

    private static SpecException Invalid(string message) => new("InvalidSpec", message);
}
