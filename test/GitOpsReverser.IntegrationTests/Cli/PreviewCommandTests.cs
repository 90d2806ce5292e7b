using GitOpsReverser.IntegrationTests.TestSupport;

namespace GitOpsReverser.IntegrationTests.Cli;

/// <summary>
/// <c>gitops-reverser preview</c>, the real binary against KubeSim: with its defaults (the cluster from
/// <c>KUBECONFIG</c>, as after the playground's <c>export KUBECONFIG=…</c>) it lists resource types,
/// counts, paths, what is left out and why, warns about Secrets and writes nothing.
/// </summary>
[Category("Integration")]
public sealed class PreviewCommandTests
{
    private OperatorTestbed bed = null!;

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        bed = await OperatorTestbed.StartAsync();
        (await bed.KubectlAsync("create namespace shop")).ShouldSucceed();
        (await bed.KubectlAsync("label namespace shop capture=yes")).ShouldSucceed();
        (await bed.KubectlAsync("create namespace elsewhere")).ShouldSucceed();
        (await bed.KubectlAsync("create configmap app-settings -n shop --from-literal=mode=fast")).ShouldSucceed();
        (await bed.KubectlAsync("create configmap kube-root-ca.crt -n shop --from-literal=ca.crt=x")).ShouldSucceed();
        (await bed.KubectlAsync("create secret generic db -n shop --from-literal=password=hunter2hunter2")).ShouldSucceed();
        (await bed.KubectlAsync("create configmap not-selected -n elsewhere --from-literal=a=b")).ShouldSucceed();
        for (var i = 0; i < 25; i++)
        {
            (await bed.KubectlAsync($"create configmap many-{i:D2} -n shop --from-literal=a=b")).ShouldSucceed();
        }
    }

    [OneTimeTearDown]
    public async Task StopAsync() => await bed.DisposeAsync();

    private async Task<(int ExitCode, string Stdout, string Stderr)> PreviewAsync(string rule, string arguments = "")
    {
        var file = bed.Temp.Combine($"rule-{Guid.NewGuid():N}.yaml");
        await File.WriteAllTextAsync(file, rule);
        return await CliProcess.RunAsync($"preview -f {file} {arguments}", environment: ("KUBECONFIG", bed.KubeconfigPath));
    }

    [Test]
    public async Task Defaults_ShowTypesCountsPathsWhatIsLeftOutAndASecretWarning_AndWriteNothing()
    {
        var before = (await bed.KubectlAsync("get configmaps,secrets -A -o name")).Output;

        var (exitCode, stdout, stderr) = await PreviewAsync(OperatorTestbed.WildcardRule);

        exitCode.Should().Be(0, stderr);
        var lines = stdout.Split('\n').Select(line => line.TrimEnd()).ToList();
        lines[0].Should().Be("WatchRule gitops-reverser-system/everything -> GitRepoConfig gitops-reverser-system/audit "
            + "(not on the cluster: the rule would not be Ready (GitRepoConfigNotFound); paths from the repository root)");
        lines.Should().Contain("Namespaces: 1 (shop)");
        lines.Should().ContainMatch("  configmaps/v1 * 26 object(s), 1 left out");
        lines.Should().ContainMatch("  secrets/v1 * 1 object(s)");
        lines.Should().NotContain(line => line.Contains("events", StringComparison.Ordinal) || line.Contains("pods/", StringComparison.Ordinal),
            "a * kind leaves out noisy kinds, as the operator does");
        lines.Should().Contain("Paths (the first 20 of 27; --all lists every one):");
        lines.Should().Contain("  namespaces/shop/ConfigMap/app-settings.yaml");
        lines.Should().NotContain(line => line.Contains("not-selected", StringComparison.Ordinal));
        lines.Should().Contain("Left out (1):");
        lines.Should().Contain(line => line.StartsWith("  ConfigMap shop/kube-root-ca.crt: made by the cluster itself", StringComparison.Ordinal)
            && line.EndsWith("(include: [clusterDefaults] captures it)", StringComparison.Ordinal));
        lines.Should().Contain(line => line.StartsWith("warning: 1 Secret(s) would be written with secretPolicy", StringComparison.Ordinal));
        stdout.Should().NotContain("hunter2").And.EndWith("Nothing was written.\n");
        (await bed.KubectlAsync("get configmaps,secrets -A -o name")).Output.Should().Be(before);
    }

    [Test]
    public async Task IgnoreFields_ShowWhatEachEntryRemoves_AndWhichMatchNothing()
    {
        var (exitCode, stdout, stderr) = await PreviewAsync(OperatorTestbed.ConfigMapRule + """

              ignoreFields:
                - {kind: ConfigMap, jsonPointers: [/data/mode]}
                - {kind: ConfigMap, managers: [kubectl-create]}
                - {group: apps, kind: Deployment, jsonPointers: [/spec/replicas]}
            """);

        exitCode.Should().Be(0, stderr);
        var lines = stdout.Split('\n').Select(line => line.TrimEnd()).ToList();
        lines.Should().Contain("Ignored fields (3 entries; not written, and a change to them alone makes no commit):");
        lines.Should().Contain("  core/ConfigMap: /data/mode: removes fields from 1 object(s), such as ConfigMap shop/app-settings");
        // Entries apply in order: app-settings had only data.mode, which the first entry took already.
        lines.Should().Contain("  core/ConfigMap: managers kubectl-create: removes fields from 25 object(s), such as ConfigMap shop/many-00", stdout);
        lines.Should().Contain("  apps/Deployment: /spec/replicas: matches no object (the rule's status would name it)");
    }

    [Test]
    public async Task All_ListsEveryPath_AndTheGitRepoConfigInTheFileSetsTheBaseFolder()
    {
        var (exitCode, stdout, stderr) = await PreviewAsync(OperatorTestbed.WildcardRule + """

            ---
            apiVersion: configbutler.ai/v1alpha1
            kind: GitRepoConfig
            metadata: {name: audit, namespace: gitops-reverser-system}
            spec: {url: "https://git.example.com/audit.git", baseFolder: clusters/prod}
            """, "--all");

        exitCode.Should().Be(0, stderr);
        stdout.Should().Contain("(from the file)").And.Contain("Paths (27):").And.Contain("  clusters/prod/namespaces/shop/ConfigMap/many-24.yaml");
    }

    [Test]
    public async Task ARepositoryThatEncrypts_IsWhatTheSecretWarningNames()
    {
        var (exitCode, stdout, stderr) = await PreviewAsync(OperatorTestbed.WildcardRule + """

            ---
            apiVersion: configbutler.ai/v1alpha1
            kind: GitRepoConfig
            metadata: {name: audit, namespace: gitops-reverser-system}
            spec:
              url: "https://git.example.com/audit.git"
              secretPolicy: Encrypt
              encryption: {age: {recipients: [age1ru2gk8cpdp2mdmv3ezme7men0hc77q5uh26ajjhef624jtv29g6qtkm8qw]}}
            """);

        exitCode.Should().Be(0, stderr);
        stdout.Should().Contain("warning: 1 Secret(s) would be written with secretPolicy Encrypt: values reach Git only as SOPS ciphertext");
    }

    [Test]
    public async Task Include_CapturesWhatTheClusterMade_AndExplicitKubeconfigAndContextWork()
    {
        var rule = OperatorTestbed.WildcardRule.Replace("  namespaceSelector:", "  include: [clusterDefaults]\n  namespaceSelector:", StringComparison.Ordinal);

        var (exitCode, stdout, stderr) = await PreviewAsync(rule, $"--kubeconfig {bed.KubeconfigPath} --context kubesim");

        exitCode.Should().Be(0, stderr);
        stdout.Should().Contain("configmaps/v1").And.Contain("27 object(s)").And.NotContain("Left out");
    }

    [Test]
    public async Task InvalidRule_ExitsWithTwoAndSaysWhy()
    {
        var (exitCode, _, stderr) = await PreviewAsync(OperatorTestbed.WildcardRule.Replace("  namespaceSelector:", "  include: [helm]\n  namespaceSelector:", StringComparison.Ordinal));
        var (noRuleExit, _, noRule) = await PreviewAsync("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\n");

        exitCode.Should().Be(2);
        stderr.Should().Be("error: WatchRule gitops-reverser-system/everything is not valid (InvalidSpec): include[0]: \"helm\" is not one of "
            + "clusterDefaults, bootstrapRbac, flowControlDefaults, helmReleases, serviceAccountTokens\n");
        noRuleExit.Should().Be(2);
        noRule.Should().Contain("the file holds no WatchRule or ClusterWatchRule");
    }

    [Test]
    public async Task UnknownContext_ExitsWithOneAndSaysWhy()
    {
        var (exitCode, _, stderr) = await PreviewAsync(OperatorTestbed.WildcardRule, "--context nope");

        exitCode.Should().Be(1);
        stderr.Should().StartWith("error: cannot read the Kubernetes connection from").And.Contain("nope");
    }
}
