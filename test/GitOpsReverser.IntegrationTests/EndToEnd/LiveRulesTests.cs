using GitOpsReverser.IntegrationTests.TestSupport;

namespace GitOpsReverser.IntegrationTests.EndToEnd;

/// <summary>
/// Rules change while the operator runs: a CRD installed later is captured by a <c>*</c> rule, a rule
/// edited with kubectl edit changes what is captured (with one resync commit), bad rules get a False
/// Ready condition with a reason while the others keep working, and a deleted rule's watches stop.
/// </summary>
[Category("Integration")]
public sealed class LiveRulesTests
{
    private static readonly string GadgetCrd = OperatorTestbed.Crd("gadgets", "Gadget",
        schema: "{type: object, properties: {spec: {type: object, properties: {size: {type: integer}}}}}");

    [Test]
    public async Task WildcardRule_CapturesACrdInstalledAfterStart_AndLeavesControllerOwnedObjectsOut()
    {
        await using var bed = await OperatorTestbed.StartAsync();
        await bed.CaptureEverythingAsync("apps");
        await bed.StartOperatorAsync();
        await bed.WaitForReadyAsync("watchrule", OperatorTestbed.OperatorNamespace, "everything", "True");
        var commits = GitCli.Log(bed.Remote).Count;

        (await bed.ApplyAsync("""
            apiVersion: v1
            kind: ConfigMap
            metadata:
              name: owned
              namespace: apps
              ownerReferences: [{apiVersion: apps/v1, kind: ReplicaSet, name: web-1, uid: 0b6c3c1e-5f43-4bd1-9d52-6f0c1f2d9e01, controller: true}]
            data: {a: b}
            """)).ShouldSucceed();
        (await bed.KubectlAsync("create configmap plain -n apps --from-literal=a=b")).ShouldSucceed();
        (await bed.CommitAsync(++commits)).Should().Be("[CREATE] ConfigMap/plain in ns/apps by manager/kubectl-create",
            "a controller-owned object is left out of a * rule");

        (await bed.ApplyAsync(GadgetCrd)).ShouldSucceed();
        await WaitUntilAsync(async () => (await bed.KubectlAsync("get watchrule everything -n gitops-reverser-system -o jsonpath={.status.resolvedResources}"))
            .Output.Contains("gadgets.example.com", StringComparison.Ordinal), bed);
        (await bed.ApplyAsync("apiVersion: example.com/v1\nkind: Gadget\nmetadata: {name: g1, namespace: apps}\nspec: {size: 3}\n")).ShouldSucceed();
        (await bed.CommitAsync(++commits)).Should().Be("[CREATE] Gadget/g1 in ns/apps by manager/kubectl-client-side-apply");
        bed.Show("namespaces/apps/Gadget.example.com/g1.yaml").Should().Contain("size: 3");
        bed.Files().Should().NotContain(file => file.Contains("owned", StringComparison.Ordinal));

        // The CRD removed: its watch stops cleanly and the rule no longer lists it. Its object goes first: a CRD
        // deleted with objects left deletes them too, and whether those deletions are recorded races the watch
        // stopping (README, Troubleshooting).
        (await bed.KubectlAsync("delete gadget g1 -n apps")).ShouldSucceed();
        (await bed.CommitAsync(++commits)).Should().Be("[DELETE] Gadget/g1 in ns/apps");
        (await bed.KubectlAsync("delete crd gadgets.example.com")).ShouldSucceed();
        await WaitUntilAsync(() => Task.FromResult(bed.Operator!.Output.Contains("No rule needs gadgets.example.com any more", StringComparison.Ordinal)), bed);
        (await bed.KubectlAsync("get watchrule everything -n gitops-reverser-system -o jsonpath={.status.resolvedResources}")).Output
            .Should().NotContain("gadgets");
        (await bed.KubectlAsync("create configmap after-crd -n apps --from-literal=a=b")).ShouldSucceed();
        (await bed.CommitAsync(++commits)).Should().Be("[CREATE] ConfigMap/after-crd in ns/apps by manager/kubectl-create");
    }

    [Test]
    public async Task KindsServedInThreeVersionsOfOneGroup_AreAllCaptured_AndANamedVersionToo()
    {
        await using var bed = await OperatorTestbed.StartAsync();
        (await bed.ApplyAsync(string.Join("---\n", new[] { ("doohickeys", "Doohickey", "v1alpha1"), ("gadgets", "Gadget", "v1"), ("gizmos", "Gizmo", "v1beta1") }
            .Select(crd => OperatorTestbed.Crd(crd.Item1, crd.Item2, "multi.example.com", crd.Item3))))).ShouldSucceed();
        (await bed.KubectlAsync("create namespace multi")).ShouldSucceed();
        (await bed.KubectlAsync("label namespace multi capture=yes")).ShouldSucceed();
        (await bed.ApplyAsync(bed.RepoConfig())).ShouldSucceed();
        (await bed.ApplyAsync(bed.RepoConfig("named", extra: "  baseFolder: named"))).ShouldSucceed();
        (await bed.ApplyAsync(OperatorTestbed.WildcardRule)).ShouldSucceed();
        (await bed.ApplyAsync("""
            apiVersion: configbutler.ai/v1alpha1
            kind: WatchRule
            metadata: {name: named-version, namespace: gitops-reverser-system}
            spec:
              gitRepoConfigRef: named
              resources: [{apiVersion: multi.example.com/v1beta1, kind: Gizmo}]
              namespaceSelector: {matchLabels: {capture: "yes"}}
            """)).ShouldSucceed();
        await bed.StartOperatorAsync();
        (await bed.WaitForReadyAsync("watchrule", OperatorTestbed.OperatorNamespace, "named-version", "True"))["message"]!.ToString()
            .Should().Contain("capturing 1 resource type(s)");

        (await bed.ApplyAsync("""
            apiVersion: multi.example.com/v1alpha1
            kind: Doohickey
            metadata: {name: d1, namespace: multi}
            ---
            apiVersion: multi.example.com/v1
            kind: Gadget
            metadata: {name: g1, namespace: multi}
            ---
            apiVersion: multi.example.com/v1beta1
            kind: Gizmo
            metadata: {name: z1, namespace: multi}
            """)).ShouldSucceed();

        await WaitUntilAsync(() => Task.FromResult(bed.Files().Count(file => file.Contains("/multi/", StringComparison.Ordinal)) == 4), bed);
        bed.Files().Where(file => file.Contains("/multi/", StringComparison.Ordinal)).Should().BeEquivalentTo(
            "namespaces/multi/Doohickey.multi.example.com/d1.yaml", "namespaces/multi/Gadget.multi.example.com/g1.yaml",
            "namespaces/multi/Gizmo.multi.example.com/z1.yaml", "named/namespaces/multi/Gizmo.multi.example.com/z1.yaml");
        (await bed.KubectlAsync("get watchrule everything -n gitops-reverser-system -o jsonpath={.status.resolvedResources}")).Output
            .Should().Contain("doohickeys.multi.example.com/v1alpha1").And.Contain("gadgets.multi.example.com/v1")
            .And.Contain("gizmos.multi.example.com/v1beta1");
    }

    [Test]
    public async Task ForbiddenResource_IsReportedOnTheRule_AndTheOtherKindsKeepWorking()
    {
        using var users = new TempDirectory();
        var usersFile = users.Combine("users.yaml");
        await File.WriteAllTextAsync(usersFile, """
            users:
              - {name: admin, token: admin-token, groups: [system:masters]}
              - {name: gitops-reverser, token: operator-token, groups: [gitops-reverser]}
            deny:
              - users: [gitops-reverser]
                verbs: [list, watch]
                resources: [secrets]
            """);
        await using var bed = await OperatorTestbed.StartAsync(usersFile);
        (await bed.ApplyAsync(bed.RepoConfig())).ShouldSucceed();
        (await bed.ApplyAsync("""
            apiVersion: configbutler.ai/v1alpha1
            kind: WatchRule
            metadata: {name: secrets-and-configs, namespace: gitops-reverser-system}
            spec:
              gitRepoConfigRef: audit
              resources: [{apiVersion: v1, kind: Secret}, {apiVersion: v1, kind: ConfigMap}]
            """)).ShouldSucceed();
        await bed.StartOperatorAsync("operator-token");

        var condition = await bed.WaitForReadyAsync("watchrule", OperatorTestbed.OperatorNamespace, "secrets-and-configs", "False");
        condition["reason"]!.ToString().Should().Be("Forbidden");
        condition["message"]!.ToString().Should().Contain("secrets: 403 Forbidden: secrets is forbidden: User \"gitops-reverser\" cannot list resource \"secrets\" in API group \"\" at the cluster scope");
        var commits = GitCli.Log(bed.Remote).Count;
        (await bed.KubectlAsync("create configmap visible --from-literal=a=b")).ShouldSucceed();
        (await bed.CommitAsync(++commits)).Should().Be("[CREATE] ConfigMap/visible in ns/default by manager/kubectl-create");
        bed.Operator!.Output.Should().Contain("Not allowed to list or watch secrets");
    }

    [Test]
    public async Task EditedRule_ChangesWhatIsCaptured_BadRulesGetFalseReady_AndOthersKeepWorking()
    {
        await using var bed = await OperatorTestbed.StartAsync();
        (await bed.KubectlAsync("create namespace apps")).ShouldSucceed();
        (await bed.KubectlAsync("label namespace apps capture=yes")).ShouldSucceed();
        (await bed.KubectlAsync("create secret generic before -n apps --from-literal=token=s3cr3t-value")).ShouldSucceed();
        (await bed.ApplyAsync(bed.RepoConfig())).ShouldSucceed();
        (await bed.Kubectl.RunAsync("create -f -", OperatorTestbed.ConfigMapRule)).ShouldSucceed();
        await bed.StartOperatorAsync();
        await bed.WaitForReadyAsync("watchrule", OperatorTestbed.OperatorNamespace, "configs", "True");
        var commits = GitCli.Log(bed.Remote).Count;
        (await bed.KubectlAsync("create configmap one -n apps --from-literal=a=b")).ShouldSucceed();
        (await bed.CommitAsync(++commits)).Should().Be("[CREATE] ConfigMap/one in ns/apps by manager/kubectl-create");

        // kubectl edit turns the ConfigMap rule into a Secret rule: the Secret that already existed
        // arrives in one resync commit; the ConfigMap files stay; new ConfigMaps are no longer captured.
        var editor = bed.Script("editor.sh", "sed -i 's/kind: ConfigMap/kind: Secret/' \"$1\"");
        (await bed.KubectlAsync("edit watchrule configs -n gitops-reverser-system", new Dictionary<string, string> { ["EDITOR"] = editor })).ShouldSucceed();
        (await bed.CommitAsync(++commits)).Should().StartWith("[RESYNC] 1 change");
        bed.Show("namespaces/apps/Secret/before.yaml").Should().Contain("token: hmac-sha256:").And.NotContain("s3cr3t");
        bed.Files().Should().Contain("namespaces/apps/ConfigMap/one.yaml");
        (await bed.KubectlAsync("create configmap two -n apps --from-literal=a=b")).ShouldSucceed();
        (await bed.KubectlAsync("create secret generic after -n apps --from-literal=token=x")).ShouldSucceed();
        (await bed.CommitAsync(++commits)).Should().Be("[CREATE] Secret/after in ns/apps by manager/kubectl-create");

        // Bad objects: each gets a False Ready condition with a reason a person can act on.
        (await bed.ApplyAsync("""
            apiVersion: configbutler.ai/v1alpha1
            kind: WatchRule
            metadata: {name: unknown-kind, namespace: gitops-reverser-system}
            spec: {gitRepoConfigRef: audit, resources: [{apiVersion: v1, kind: Widget}]}
            ---
            apiVersion: configbutler.ai/v1alpha1
            kind: WatchRule
            metadata: {name: missing-repo, namespace: gitops-reverser-system}
            spec: {gitRepoConfigRef: nowhere, resources: [{apiVersion: v1, kind: ConfigMap}]}

            ---
            apiVersion: configbutler.ai/v1alpha1
            kind: WatchRule
            metadata: {name: tenant-selector, namespace: apps}
            spec:
              gitRepoConfigRef: audit
              resources: [{apiVersion: v1, kind: ConfigMap}]
              namespaceSelector: {matchLabels: {team: other}}
            ---
            apiVersion: configbutler.ai/v1alpha1
            kind: GitRepoConfig
            metadata: {name: bad-window, namespace: gitops-reverser-system}
            spec: {url: /nowhere, commit: {mode: Window, window: 0s}}
            """)).ShouldSucceed();
        (await bed.ApplyAsync("""
            apiVersion: configbutler.ai/v1alpha1
            kind: WatchRule
            metadata: {name: bad-selector, namespace: gitops-reverser-system}
            spec:
              gitRepoConfigRef: audit
              resources: [{apiVersion: v1, kind: ConfigMap}]
              namespaceSelector: {matchExpressions: [{key: team, operator: In}]}
            """)).Error.Trim().Should().Be("The WatchRule \"bad-selector\" is invalid: spec.namespaceSelector.matchExpressions[0]: " +
            "Invalid value: \"object\": operator In and NotIn need values; Exists and DoesNotExist take none");
        (await bed.WaitForReadyAsync("watchrule", OperatorTestbed.OperatorNamespace, "unknown-kind", "False"))["reason"]!.ToString().Should().Be("UnknownKind");
        var missing = await bed.WaitForReadyAsync("watchrule", OperatorTestbed.OperatorNamespace, "missing-repo", "False");
        missing["reason"]!.ToString().Should().Be("GitRepoConfigNotFound");
        missing["message"]!.ToString().Should().Contain("gitops-reverser-system/nowhere");
        (await bed.WaitForReadyAsync("watchrule", "apps", "tenant-selector", "False"))["reason"]!.ToString().Should().Be("NamespaceSelectorNotAllowed");
        (await bed.WaitForReadyAsync("gitrepoconfig", OperatorTestbed.OperatorNamespace, "bad-window", "False"))["message"]!.ToString()
            .Should().Contain("commit.window \"0s\" is not a duration");
        (await bed.KubectlAsync("create secret generic still-working -n apps --from-literal=token=y")).ShouldSucceed();
        (await bed.CommitAsync(++commits)).Should().Be("[CREATE] Secret/still-working in ns/apps by manager/kubectl-create");

        // A deleted rule's watch stops.
        (await bed.KubectlAsync("delete watchrule configs -n gitops-reverser-system")).ShouldSucceed();
        await WaitUntilAsync(() => Task.FromResult(bed.Operator!.Output.Contains("No rule needs secrets any more", StringComparison.Ordinal)), bed);
        bed.Operator!.HasExited.Should().BeFalse();
    }

    [Test]
    public async Task KubectlGet_ShowsEachRulesAndRepositorysState_WithCredentialsRedacted()
    {
        await using var bed = await OperatorTestbed.StartAsync();

        // The CRDs refuse credentials in a URL; with an older release's CRDs one gets through and must still be redacted.
        await bed.InstallTypeOnlyCrdsAsync();
        (await bed.KubectlAsync("create namespace apps")).ShouldSucceed();
        (await bed.KubectlAsync("label namespace apps capture=yes")).ShouldSucceed();
        (await bed.KubectlAsync("create configmap one -n apps --from-literal=a=b")).ShouldSucceed();
        (await bed.ApplyAsync(bed.RepoConfig())).ShouldSucceed();
        (await bed.ApplyAsync(OperatorTestbed.ConfigMapRule)).ShouldSucceed();
        (await bed.ApplyAsync("""
            apiVersion: configbutler.ai/v1alpha1
            kind: GitRepoConfig
            metadata: {name: elsewhere, namespace: gitops-reverser-system}
            spec: {url: "https://robot:s3cr3t-t0ken@127.0.0.1:1/audit.git", branch: audit}
            ---
            apiVersion: configbutler.ai/v1alpha1
            kind: WatchRule
            metadata: {name: orphan, namespace: gitops-reverser-system}
            spec:
              gitRepoConfigRef: missing
              resources: [{apiVersion: v1, kind: Secret}]
            """)).ShouldSucceed();
        await bed.StartOperatorAsync();
        await bed.WaitForReadyAsync("watchrule", OperatorTestbed.OperatorNamespace, "configs", "True");
        await bed.WaitForReadyAsync("gitrepoconfig", OperatorTestbed.OperatorNamespace, "elsewhere", "False");
        await bed.CommitsAsync(2);
        await WaitUntilAsync(async () => (await bed.KubectlAsync("get gitrepoconfig audit -n gitops-reverser-system -o jsonpath={.status.pendingCommits}")).Output == "0", bed);

        // The status is written every few seconds: wait until it names the remote's head (CI once read it a write behind).
        await WaitUntilAsync(async () => (await bed.KubectlAsync("get gitrepoconfig audit -n gitops-reverser-system -o jsonpath={.status.lastCommitShort}")).Output
            == GitCli.Log(bed.Remote, "%h")[0], bed);

        var rules = Columns((await bed.KubectlAsync("get watchrules -A")).ShouldSucceed().Output);
        rules[0].Should().Equal("NAMESPACE", "NAME", "REPO", "READY", "REASON", "TRACKED", "AGE");
        rules.Should().Contain(row => row.Take(6).SequenceEqual(new[] { "gitops-reverser-system", "configs", "audit", "True", "Capturing", "1" }))
            .And.Contain(row => row.Take(6).SequenceEqual(new[] { "gitops-reverser-system", "orphan", "missing", "False", "GitRepoConfigNotFound", "0" }));
        var head = GitCli.Log(bed.Remote, "%h")[0];
        var repos = (await bed.KubectlAsync("get gitrepoconfigs -n gitops-reverser-system")).ShouldSucceed().Output;
        repos.Should().NotContain("s3cr3t-t0ken", "credentials in a URL are never shown");
        var rows = Columns(repos);
        rows[0].Should().Equal("NAME", "URL", "BRANCH", "READY", "LAST", "COMMIT", "PENDING", "AGE");
        rows.Should().Contain(row => row.Take(6).SequenceEqual(new[] { "audit", bed.Remote, "main", "True", head, "0" }));
        rows.Should().Contain(row => row.Take(4).SequenceEqual(new[] { "elsewhere", "https://***@127.0.0.1:1/audit.git", "audit", "False" }));
    }

    [Test]
    public async Task EditingOneRule_ReconcilesThatRuleAlone_NotTheRulesOfOtherRepositories()
    {
        await using var bed = await OperatorTestbed.StartAsync();
        await bed.CaptureConfigMapsAsync("apps");
        (await bed.ApplyAsync(bed.RepoConfig("other", extra: "  baseFolder: other"))).ShouldSucceed();
        var others = new[] { "secrets", "services", "roles", "jobs", "cronjobs" };
        foreach (var (name, kind, apiVersion) in others.Zip(["Secret", "Service", "Role", "Job", "CronJob"], ["v1", "v1", "rbac.authorization.k8s.io/v1", "batch/v1", "batch/v1"]))
        {
            (await bed.ApplyAsync(OperatorTestbed.ConfigMapRule.Replace("name: configs", $"name: {name}", StringComparison.Ordinal)
                .Replace("gitRepoConfigRef: audit", "gitRepoConfigRef: other", StringComparison.Ordinal)
                .Replace("{apiVersion: v1, kind: ConfigMap}", $"{{apiVersion: {apiVersion}, kind: {kind}}}", StringComparison.Ordinal))).ShouldSucceed();
        }

        // No periodic status round during the test: what is reconciled is what changed.
        await bed.StartOperatorAsync(settings: new Dictionary<string, string> { ["GITOPS_REVERSER_Operator__StatusInterval"] = "00:10:00" });
        foreach (var name in others.Prepend("configs"))
        {
            await bed.WaitForReadyAsync("watchrule", OperatorTestbed.OperatorNamespace, name, "True");
        }

        var before = await ReconcilesAsync(bed, "WatchRule");
        (await bed.KubectlAsync("patch watchrule configs -n gitops-reverser-system --type merge -p {\"spec\":{\"excludeFieldManagers\":[\"argocd-controller\"]}}"))
            .ShouldSucceed();
        await WaitUntilAsync(async () => (await bed.KubectlAsync("get watchrule configs -n gitops-reverser-system -o jsonpath={.status.observedGeneration}"))
            .Output.Trim() == "2", bed);
        await bed.WaitForReadyAsync("watchrule", OperatorTestbed.OperatorNamespace, "configs", "True");
        await Task.Delay(TimeSpan.FromSeconds(2));

        // The edited rule, and once more when its repository's resync (its filter changed) is done; none of the five others.
        (await ReconcilesAsync(bed, "WatchRule") - before).Should().BeInRange(1, 2, "the edited rule is reconciled, and no rule of another repository");
    }

    // gitops_reverser_reconciles_total of a kind's successful reconciles, as Prometheus scrapes it.
    private static async Task<long> ReconcilesAsync(OperatorTestbed bed, string kind) =>
        (await bed.Operator!.GetAsync(bed.Operator.MetricsPort, "/metrics")).Body.Split('\n')
            .Where(line => line.StartsWith("gitops_reverser_reconciles_total{", StringComparison.Ordinal)
                && line.Contains($"kind=\"{kind}\"", StringComparison.Ordinal) && line.Contains("result=\"success\"", StringComparison.Ordinal))
            .Sum(line => long.Parse(line.Split(' ')[^1], System.Globalization.CultureInfo.InvariantCulture));

    // kubectl's table as words per line (no cell here contains a space; LAST COMMIT is two words).
    private static List<string[]> Columns(string output) =>
        [.. output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(line => line.Split(' ', StringSplitOptions.RemoveEmptyEntries))];

    private static async Task WaitUntilAsync(Func<Task<bool>> condition, OperatorTestbed bed)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!await condition())
        {
            DateTime.UtcNow.Should().BeBefore(deadline, "the condition should hold; operator output:\n" + bed.Operator?.Output);
            await Task.Delay(200);
        }
    }
}
