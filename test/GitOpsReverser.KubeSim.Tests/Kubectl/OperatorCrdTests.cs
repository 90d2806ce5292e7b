using GitOpsReverser.KubeSim.Tests.Support;

namespace GitOpsReverser.KubeSim.Tests.Kubectl;

/// <summary>
/// The operator's CRDs (deploy/crds/) install with kubectl, and their schemas refuse unknown fields, invalid values
/// and invalid status writes with the messages a real API server gives.
/// </summary>
[Category("Integration")]
public sealed class OperatorCrdTests
{
    private const string Samples = """
        apiVersion: configbutler.ai/v1alpha1
        kind: GitRepoConfig
        metadata: {name: audit-repo, namespace: default}
        spec:
          url: git@github.com:yourorg/k8s-audit.git
          branch: main
          secretRef: {name: git-credentials}
          commit:
            committer: {name: GitOps Reverser, email: bot@example.com}
            mode: Window
            window: 5s
          push: {interval: 10s, maxCommits: 20}
        ---
        apiVersion: configbutler.ai/v1alpha1
        kind: WatchRule
        metadata: {name: config-audit, namespace: default}
        spec:
          gitRepoConfigRef: audit-repo
          resources:
            - {apiVersion: v1, kind: ConfigMap}
          namespaceSelector:
            matchLabels: {audit: enabled}
          excludeLabels:
            matchExpressions:
              - {key: configbutler.ai/ignore, operator: Exists}
          operations: [CREATE, UPDATE, DELETE]
          secretPolicy: Fingerprint
          excludeFieldManagers: [argocd-controller]
        ---
        apiVersion: configbutler.ai/v1alpha1
        kind: ClusterWatchRule
        metadata: {name: everything}
        spec:
          gitRepoConfigRef: {name: audit-repo, namespace: default}
          resources:
            - {apiVersion: "*", kind: "*"}
          includeOwned: false
        """;

    [Test]
    public async Task Crds_Install_SamplesApply_AndUnknownFieldsAreRefused()
    {
        await using var sim = await RunningKubeSim.StartAsync();
        var kubectl = new TestServers.Kubectl(TestServers.Kubectl.Installed, sim.KubeconfigPath, Path.Combine(sim.Directory, "cache"));

        (await kubectl.RunAsync($"apply -f {Path.Combine(TestServers.Kubectl.RepositoryRoot, "deploy", "crds")}")).ShouldSucceed();
        (await kubectl.RunAsync("apply -f -", Samples)).ShouldSucceed().Output.Should()
            .Contain("gitrepoconfig.configbutler.ai/audit-repo created")
            .And.Contain("watchrule.configbutler.ai/config-audit created")
            .And.Contain("clusterwatchrule.configbutler.ai/everything created");
        (await kubectl.RunAsync("get watchrules,gitrepoconfigs,clusterwatchrules -A -o name")).ShouldSucceed().Output.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Should().HaveCount(3);
        (await kubectl.RunAsync("api-resources --api-group=configbutler.ai")).ShouldSucceed().Output.Should()
            .MatchRegex(@"watchrules\s+wr\s+configbutler.ai/v1alpha1\s+true\s+WatchRule")
            .And.MatchRegex(@"clusterwatchrules\s+cwr\s+configbutler.ai/v1alpha1\s+false\s+ClusterWatchRule");

        var typo = await kubectl.RunAsync("apply -f -", Samples.Replace("    matchLabels: {audit: enabled}", "    matchLabelz: {audit: enabled}", StringComparison.Ordinal));
        typo.ExitCode.Should().NotBe(0);
        typo.Error.Should().Contain("unknown field \"spec.namespaceSelector.matchLabelz\"");
    }

    private const string Repo = "apiVersion: configbutler.ai/v1alpha1\nkind: GitRepoConfig\nmetadata: {name: r, namespace: default}\nspec: ";
    private const string Rule = "apiVersion: configbutler.ai/v1alpha1\nkind: WatchRule\nmetadata: {name: r, namespace: default}\nspec: ";
    private const string ClusterRule = "apiVersion: configbutler.ai/v1alpha1\nkind: ClusterWatchRule\nmetadata: {name: r}\nspec: ";

    [TestCase(Repo + "{}", "spec.url: Required value")]
    [TestCase(Repo + "{url: \"\"}", "spec.url: Invalid value: \"\": spec.url in body should be at least 1 chars long")]
    [TestCase(Repo + "{url: \"not a url\"}",
        "spec.url: Invalid value: \"string\": url must be https://host/path, ssh://user@host[:port]/path, user@host:path or a local path, without spaces")]
    [TestCase(Repo + "{url: \"https://u:tok@git.example.com/a.git\"}", "spec.url: Invalid value: \"string\": url must carry no credentials")]
    [TestCase(Repo + "{url: /r, secretPolicy: encrypt}",
        "spec.secretPolicy: Unsupported value: \"encrypt\": supported values: \"Fingerprint\", \"Redact\", \"Skip\", \"Encrypt\"")]
    [TestCase(Repo + "{url: /r, secretPolicy: Encrypt}",
        "spec.secretPolicy: Invalid value: \"object\": secretPolicy Encrypt needs encryption.age.recipients or encryption.age.recipientsRef")]
    [TestCase(Repo + "{url: /r, encryption: {age: {recipients: [AGE-SECRET-KEY-1QQQ]}}}",
        "spec.encryption.age.recipients[0]: Invalid value: \"string\": an age recipient looks like age1 and 58 more characters")]
    [TestCase(Repo + "{url: /r, encryption: {age: {recipientsRef: {kind: Vault, name: k, key: r}}}}",
        "spec.encryption.age.recipientsRef.kind: Unsupported value: \"Vault\": supported values: \"ConfigMap\", \"Secret\"")]
    [TestCase(Repo + "{url: /r, branch: \"a b\"}", "spec.branch: Invalid value: \"a b\": spec.branch in body should match")]
    [TestCase(Repo + "{url: /r, secretRef: {name: Creds}}", "spec.secretRef.name: Invalid value: \"Creds\": spec.secretRef.name in body should match")]
    [TestCase(Repo + "{url: /r, commit: {mode: Window}}", "spec.commit: Invalid value: \"object\": commit.mode Window needs commit.window (for example 5s)")]
    [TestCase(Repo + "{url: /r, commit: {window: 5s}}", "spec.commit.window: Invalid value: \"object\": commit.window is used only with commit.mode Window")]
    [TestCase(Repo + "{url: /r, commit: {mode: Window, window: soon}}",
        "spec.commit.window: Invalid value: \"soon\": spec.commit.window in body should match '^([0-9]+(\\.[0-9]+)?(ms|s|m|h))+$'")]
    [TestCase(Repo + "{url: /r, commit: {mode: Batch}}", "spec.commit.mode: Unsupported value: \"Batch\": supported values: \"PerChange\", \"Window\"")]
    [TestCase(Repo + "{url: /r, push: {maxCommits: 0}}",
        "spec.push.maxCommits: Invalid value: 0: spec.push.maxCommits in body should be greater than or equal to 1")]
    [TestCase(Repo + "{url: /r, push: {interval: often}}", "spec.push.interval: Invalid value: \"often\": spec.push.interval in body should match")]
    [TestCase(Repo + "{url: /r, notifications: {endpoints: [{name: a, type: Slack, secretRef: {name: s}}, {name: a, type: Teams, secretRef: {name: t}}]}}",
        "spec.notifications.endpoints: Invalid value: \"array\": endpoints must have different names")]
    [TestCase(Repo + "{url: /r, notifications: {commitUrl: \"https://git.example.com/c/\", endpoints: [{name: a, type: Slack, secretRef: {name: s}}]}}",
        "spec.notifications.commitUrl: Invalid value: \"string\": commitUrl must hold {sha}, where each commit's id goes")]
    [TestCase(Repo + "{url: /r, notifications: {endpoints: [{name: a, type: Pager, secretRef: {name: s}}]}}",
        "spec.notifications.endpoints[0].type: Unsupported value: \"Pager\": supported values: \"Slack\", \"Teams\", \"Webhook\", \"CloudEvents\"")]
    [TestCase(Repo + "{url: /r, notifications: {endpoints: []}}",
        "spec.notifications.endpoints: Invalid value: 0: spec.notifications.endpoints in body should have at least 1 items")]
    [TestCase(Rule + "{gitRepoConfigRef: \"\", resources: [{apiVersion: v1, kind: ConfigMap}]}",
        "spec.gitRepoConfigRef: Invalid value: \"\": spec.gitRepoConfigRef in body should be at least 1 chars long")]
    [TestCase(Rule + "{gitRepoConfigRef: a, resources: []}", "spec.resources: Invalid value: 0: spec.resources in body should have at least 1 items")]
    [TestCase(Rule + "{gitRepoConfigRef: a, resources: [{kind: ConfigMap}]}", "spec.resources[0].apiVersion: Required value")]
    [TestCase(Rule + "{gitRepoConfigRef: a, resources: [{apiVersion: v1, kind: ConfigMap}], operations: [CREATE, PATCH]}",
        "spec.operations[1]: Unsupported value: \"PATCH\": supported values: \"CREATE\", \"UPDATE\", \"DELETE\"")]
    [TestCase(Rule + "{gitRepoConfigRef: a, resources: [{apiVersion: v1, kind: ConfigMap}], operations: [CREATE, CREATE]}",
        "spec.operations[1]: Duplicate value: \"CREATE\"")]
    [TestCase(Rule + "{gitRepoConfigRef: a, resources: [{apiVersion: v1, kind: ConfigMap}], excludeLabels: {matchExpressions: [{key: a, operator: Exists, values: [x]}]}}",
        "spec.excludeLabels.matchExpressions[0]: Invalid value: \"object\": operator In and NotIn need values; Exists and DoesNotExist take none")]
    [TestCase(Rule + "{gitRepoConfigRef: a, resources: [{apiVersion: v1, kind: ConfigMap}], include: [helm]}",
        "spec.include[0]: Unsupported value: \"helm\": supported values:")]
    [TestCase(ClusterRule + "{gitRepoConfigRef: {name: a}, resources: [{apiVersion: v1, kind: ConfigMap}]}", "spec.gitRepoConfigRef.namespace: Required value")]
    [TestCase(ClusterRule + "{gitRepoConfigRef: {name: a, namespace: Team_A}, resources: [{apiVersion: v1, kind: ConfigMap}]}",
        "spec.gitRepoConfigRef.namespace: Invalid value: \"Team_A\": spec.gitRepoConfigRef.namespace in body should match")]
    public async Task InvalidObjects_AreRefusedByTheSchema(string yaml, string message)
    {
        await using var sim = await RunningKubeSim.StartAsync();
        var kubectl = await InstallCrdsAsync(sim);

        var result = await kubectl.RunAsync("apply -f -", yaml);

        result.ExitCode.Should().NotBe(0, result.Output);
        var kind = yaml.Split('\n')[1]["kind: ".Length..];
        // Alone, or one of several errors (a schema error adds that CEL rules were not checked).
        result.Error.Should().StartWith($"The {kind} \"r\" is invalid: ").And.Contain(message);
    }

    [TestCase("{\"status\":{\"pendingCommits\":\"many\"}}",
        "status.pendingCommits: Invalid value: \"string\": status.pendingCommits in body must be of type integer: \"string\"")]
    [TestCase("{\"status\":{\"lastPushTime\":\"yesterday\"}}",
        "status.lastPushTime: Invalid value: \"yesterday\": status.lastPushTime in body must be of type date-time: \"yesterday\"")]
    [TestCase("{\"status\":{\"conditions\":[{\"type\":\"Ready\",\"status\":\"Maybe\"}]}}",
        "status.conditions[0].status: Unsupported value: \"Maybe\": supported values: \"True\", \"False\", \"Unknown\"")]
    [TestCase("{\"status\":{\"conditions\":[{\"type\":\"Ready\",\"status\":\"True\",\"reason\":\"not-a-reason\"}]}}",
        "status.conditions[0].reason: Invalid value: \"not-a-reason\": status.conditions[0].reason in body should match")]
    public async Task InvalidStatusWrites_AreRefused(string patch, string message)
    {
        await using var sim = await RunningKubeSim.StartAsync();
        var kubectl = await InstallCrdsAsync(sim);
        (await kubectl.RunAsync("apply -f -", Repo + "{url: /r}")).ShouldSucceed();

        var result = await kubectl.RunAsync($"patch gitrepoconfig r -n default --subresource=status --type=merge -p {patch}");

        result.ExitCode.Should().NotBe(0, result.Output);
        result.Error.Should().StartWith("The GitRepoConfig \"r\" is invalid: ").And.Contain(message);
    }

    private static async Task<TestServers.Kubectl> InstallCrdsAsync(RunningKubeSim sim)
    {
        var kubectl = new TestServers.Kubectl(TestServers.Kubectl.Installed, sim.KubeconfigPath, Path.Combine(sim.Directory, "cache"));
        (await kubectl.RunAsync($"apply -f {Path.Combine(TestServers.Kubectl.RepositoryRoot, "deploy", "crds")}")).ShouldSucceed();
        return kubectl;
    }
}
