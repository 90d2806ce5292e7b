using System.Globalization;
using System.Text.Json.Nodes;
using GitOpsReverser.IntegrationTests.TestSupport;

namespace GitOpsReverser.IntegrationTests.Cli;

/// <summary>
/// <c>gitops-reverser restore</c>, the real binary, over a repository the operator (a real process, against KubeSim
/// and real kubectl) wrote from manifests shaped like what platform teams install: a namespace deleted, a CRD and
/// its objects deleted, fields edited and added, Secrets changed (SOPS-encrypted in Git), an object made since;
/// a dry run changes nothing and shows it all; <c>--apply</c> takes every object back to the commit up to what the
/// API server assigns; a second run is a no-op; and the operator commits the restore in its field manager's name.
/// </summary>
[Category("Integration")]
public sealed class RestoreCommandTests
{
    private const string Rules = OperatorTestbed.WildcardRule + """

        ---
        apiVersion: configbutler.ai/v1alpha1
        kind: ClusterWatchRule
        metadata: {name: foundations}
        spec:
          gitRepoConfigRef: {name: audit, namespace: gitops-reverser-system}
          resources: [{apiVersion: apiextensions.k8s.io/v1, kind: CustomResourceDefinition}, {apiVersion: v1, kind: Namespace}]
        """;

    [Test]
    public async Task Restore_TakesEveryObjectBackToACommit_DryRunFirst_ThenApplied_ThenANoOp_AndTheRestoreIsCaptured()
    {
        await using var bed = await OperatorTestbed.StartAsync();
        var identity = await SopsTools.NewIdentityAsync(bed.Temp.Path);
        foreach (var ns in RealWorldManifests.Namespaces)
        {
            (await bed.KubectlAsync($"create namespace {ns}")).ShouldSucceed();
            (await bed.KubectlAsync($"label namespace {ns} capture=yes")).ShouldSucceed();
        }

        (await bed.ApplyAsync(bed.RepoConfig(extra: $"  secretPolicy: Encrypt\n  encryption: {{age: {{recipients: [{identity.Recipient}]}}}}"))).ShouldSucceed();
        (await bed.ApplyAsync(Rules)).ShouldSucceed();
        (await bed.ApplyAsync(RealWorldManifests.Crds)).ShouldSucceed();
        (await bed.ApplyAsync(RealWorldManifests.Objects)).ShouldSucceed();
        await bed.StartOperatorAsync();
        await bed.WaitForReadyAsync("clusterwatchrule", null, "foundations", "True");
        await SettledAsync(bed);
        var point = GitCli.Run(bed.Remote, "rev-parse", "main").Trim();
        var recorded = RecordedKeys(bed);
        recorded.Should().HaveCountGreaterThan(30, "5 CRDs, the namespaces and 22 objects are in Git");
        var before = await LiveAsync(bed, recorded);
        before.Keys.Should().BeEquivalentTo(recorded);
        await Task.Delay(1100);
        var between = DateTimeOffset.UtcNow.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
        await Task.Delay(1100);

        var beforeDamage = GitCli.Log(bed.Remote).Count;

        // The damage: a namespace and a CRD deleted with their objects, values edited, a label added, an image
        // rolled, a Secret rotated, and an object made since.
        (await bed.KubectlAsync("delete namespace shop")).ShouldSucceed();
        (await bed.KubectlAsync("delete crd appprojects.argoproj.io")).ShouldSucceed();
        (await bed.KubectlAsync("""patch configmap argocd-cm -n argocd --type=merge -p '{"data":{"url":"https://evil.example.com"},"metadata":{"labels":{"added":"since"}}}'""")).ShouldSucceed();
        (await bed.KubectlAsync("scale deployment argocd-server -n argocd --replicas=5")).ShouldSucceed();
        (await bed.KubectlAsync("set image deployment/cert-manager-webhook -n cert-manager cert-manager-webhook=quay.io/jetstack/cert-manager-webhook:v1.17.0")).ShouldSucceed();
        (await bed.KubectlAsync("""patch secret argocd-secret -n argocd --type=merge -p '{"stringData":{"server.secretkey":"rotated-by-someone"}}'""")).ShouldSucceed();
        (await bed.KubectlAsync("""patch prometheusrule shop-alerts -n monitoring --type=json -p '[{"op":"replace","path":"/spec/groups/0/rules/0/for","value":"1h"}]'""")).ShouldSucceed();
        (await bed.KubectlAsync("create configmap added-since -n argocd --from-literal=k=v")).ShouldSucceed();
        await SettledAsync(bed, beforeDamage + 1);
        var clone = bed.Temp.Combine("clone");
        GitCli.Run(bed.Temp.Path, "clone", "--quiet", bed.Remote, clone);

        // Without --force-conflicts, fields other managers own now are conflicts, and nothing changes.
        var (conflictExit, conflicts, _) = await CliProcess.RunAsync($"restore --repo {clone} --at {point} --age-identity {identity.File}", "",
            ("KUBECONFIG", bed.KubeconfigPath));
        conflictExit.Should().Be(2, conflicts);
        conflicts.Should().MatchRegex(@"conflict +argocd ConfigMap/argocd-cm: 409 Conflict: .*kubectl-patch");

        // A dry run at a time: the last commit before it, every change shown, Secret values never printed.
        var (planExit, plan, planError) = await CliProcess.RunAsync(
            $"restore --repo {clone} --at {between} --age-identity {identity.File} --force-conflicts", "", ("KUBECONFIG", bed.KubeconfigPath));
        planExit.Should().Be(0, plan + planError);
        plan.Should().StartWith($"Restoring to {point[..12]} (")
            .And.Contain("Dry run: nothing changes without --apply.")
            .And.Contain("create     Namespace/shop\n")
            .And.Contain("create     CustomResourceDefinition/appprojects.argoproj.io\n")
            .And.Contain("create     argocd AppProject/platform: after its CustomResourceDefinition is established\n")
            .And.Contain("create     shop Deployment/web: after namespace shop is created\n")
            .And.Contain("change     argocd ConfigMap/argocd-cm\n")
            .And.Contain("             data.url: \"https://evil.example.com\" → \"https://argocd.example.com\"\n")
            .And.Contain("             metadata.labels.added: \"since\" → (none)\n")
            .And.Contain("             spec.replicas: 5 → 1\n")
            .And.Contain("             spec.template.spec.containers[0].image: \"quay.io/jetstack/cert-manager-webhook:v1.17.0\" → \"quay.io/jetstack/cert-manager-webhook:v1.16.2\"\n")
            .And.Contain("             spec.groups[0].rules[0].for: \"1h\" → \"10m\"\n")
            .And.Contain("change     argocd Secret/argocd-secret\n             data[\"server.secretkey\"]: (changed)\n")
            .And.Contain("kept       argocd ConfigMap/added-since: not in the repository at that commit; --prune deletes it\n")
            .And.MatchRegex(@"\d+ objects: 8 to create, 5 to change, \d+ unchanged, 0 conflict, 0 refused, 0 skipped \(owned\), 0 to delete, 1 kept;");
        foreach (var secret in new[] { "rotated-by-someone", "8f3c2e1a9b7d6c5e4f3a2b1c0d9e8f7a", "s3cr3t-p4ssw0rd" })
        {
            plan.Should().NotContain(secret).And.NotContain(Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(secret)));
        }

        (await bed.KubectlAsync("get namespace shop")).ExitCode.Should().NotBe(0, "a dry run changes nothing");
        (await bed.KubectlAsync("get configmap argocd-cm -n argocd -o jsonpath={.data.url}")).Output.Should().Be("https://evil.example.com");

        // Applied: every object recorded at the commit is as it was, up to what the API server assigns.
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var (applyExit, applied, applyError) = await CliProcess.RunAsync(
            $"restore --repo {clone} --at {point} --age-identity {identity.File} --force-conflicts --prune --apply", "", ("KUBECONFIG", bed.KubeconfigPath));
        var applyTime = clock.Elapsed;
        applyExit.Should().Be(0, applied + applyError);
        applied.Should().Contain("Applying as field manager gitops-reverser-restore.").And.Contain("delete     argocd ConfigMap/added-since");
        var after = await LiveAsync(bed, recorded);
        foreach (var key in recorded)
        {
            after.Should().ContainKey(key);
            after[key].Should().Be(before[key], $"{key} is restored");
        }

        (await bed.KubectlAsync("get configmap added-since -n argocd")).ExitCode.Should().NotBe(0, "--prune deleted it");

        // The operator captured the restore, in the restore's name.
        await SettledAsync(bed);
        var restoreCommits = GitCli.Log(bed.Remote);
        restoreCommits.Should().Contain("[CREATE] Namespace/shop by manager/gitops-reverser-restore")
            .And.Contain("[UPDATE] Deployment/argocd-server in ns/argocd by manager/gitops-reverser-restore");
        // What the restored namespace holds may come in the resync its selector starts, each change named in the body.
        GitCli.Run(bed.Remote, "log", "--format=%B", "main").Should().Contain("Secret/db in ns/shop by manager/gitops-reverser-restore");

        // A second run finds nothing to do.
        var (againExit, again, _) = await CliProcess.RunAsync(
            $"restore --repo {clone} --at {point} --age-identity {identity.File} --force-conflicts --prune --apply", "", ("KUBECONFIG", bed.KubeconfigPath));
        againExit.Should().Be(0, again);
        again.Should().NotContain("unchanged  ");
        var (_, listed, _) = await CliProcess.RunAsync($"restore --repo {clone} --at {point} -n monitoring --show-unchanged", "", ("KUBECONFIG", bed.KubeconfigPath));
        listed.Should().Contain("unchanged  monitoring PrometheusRule/shop-alerts\n").And.Contain("unchanged  Namespace/monitoring\n");
        again.Should().MatchRegex($@"\n{recorded.Count} objects: 0 created, 0 changed, {recorded.Count} unchanged, 0 conflict, 0 refused, 0 skipped \(owned\), 0 deleted, 0 kept;");
        await SettledAsync(bed);
        GitCli.Log(bed.Remote).Should().HaveCount(restoreCommits.Count, "a restore that changes nothing makes no commit");
        TestContext.Out.WriteLine($"restore --apply of {recorded.Count} objects ({string.Join(", ", recorded)}): {applyTime.TotalSeconds:0.0} s\n{applied}");
    }

    [Test]
    public async Task Restore_WithItsDefaults_IsANoOpAtTheTip_AndAtACommit_LeavesWhatGitCannotHold_ToTheCluster()
    {
        await using var bed = await OperatorTestbed.StartAsync();
        await bed.CaptureEverythingAsync("shop");
        (await bed.KubectlAsync("create namespace other")).ShouldSucceed();
        (await bed.KubectlAsync("label namespace other capture=yes")).ShouldSucceed();
        (await bed.ApplyAsync(OperatorTestbed.WildcardRule + "\n  includeOwned: true\n  ignoreFields: [{group: apps, kind: Deployment, jsonPointers: [/spec/replicas]}]\n")).ShouldSucceed();
        (await bed.KubectlAsync("create secret generic db -n shop --from-literal=password=p4ssw0rd-value --from-literal=user=app")).ShouldSucceed();
        (await bed.KubectlAsync("create configmap settings -n shop --from-literal=mode=slow")).ShouldSucceed();
        (await bed.KubectlAsync("create deployment web -n shop --image=nginx:1.27 --replicas=2")).ShouldSucceed();
        (await bed.KubectlAsync("create configmap keep -n other --from-literal=k=v")).ShouldSucceed();
        var uid = (await bed.KubectlAsync("get deployment web -n shop -o jsonpath={.metadata.uid}")).ShouldSucceed().Output;
        (await bed.ApplyAsync($$"""
            apiVersion: v1
            kind: ConfigMap
            metadata:
              name: web-generated
              namespace: shop
              ownerReferences: [{apiVersion: apps/v1, kind: Deployment, name: web, uid: {{uid}}, controller: true}]
            data: {made: by-the-controller}
            """)).ShouldSucceed();
        await bed.StartOperatorAsync();
        await bed.WaitForReadyAsync("watchrule", OperatorTestbed.OperatorNamespace, "everything", "True");
        await SettledAsync(bed);
        var point = GitCli.Run(bed.Remote, "rev-parse", "main").Trim();
        bed.Show("namespaces/shop/Deployment/web.yaml").Should().NotContain("replicas:", "the rule ignores it");

        var beforeDamage = GitCli.Log(bed.Remote).Count;
        (await bed.KubectlAsync("delete secret db -n shop")).ShouldSucceed();
        (await bed.KubectlAsync("""patch configmap settings -n shop --type=merge -p '{"data":{"mode":"fast"}}'""")).ShouldSucceed();
        (await bed.KubectlAsync("""patch configmap web-generated -n shop --type=merge -p '{"data":{"made":"again"}}'""")).ShouldSucceed();
        (await bed.KubectlAsync("""patch configmap keep -n other --type=merge -p '{"data":{"k":"changed"}}'""")).ShouldSucceed();
        (await bed.KubectlAsync("scale deployment web -n shop --replicas=7")).ShouldSucceed();
        await SettledAsync(bed, beforeDamage + 1);
        var clone = bed.Temp.Combine("clone");
        GitCli.Run(bed.Temp.Path, "clone", "--quiet", bed.Remote, clone);

        // Its defaults: the clone in the current folder, its tip, the kubeconfig of KUBECONFIG, a dry run.
        var (tipExit, tip, tipError) = await CliProcess.RunInAsync(clone, "restore", "", ("KUBECONFIG", bed.KubeconfigPath));
        tipExit.Should().Be(0, tip + tipError);
        tip.Should().MatchRegex(@"^Restoring to [0-9a-f]{12} \(.*\) \(the tip\)\nDry run: nothing changes without --apply\.\n")
            .And.Contain("\nskipped    shop ConfigMap/web-generated: owned by Deployment/web, which makes it again\n" +
                "4 objects: 0 to create, 0 to change, 3 unchanged, 0 conflict, 0 refused, 1 skipped (owned), 0 to delete, 0 kept;",
                "the operator keeps the repository's tip equal to the cluster");

        // One namespace at a commit, from a URL: a fingerprinted value is reported per key and left to the cluster, an
        // ignored field keeps the cluster's value, an owned object is left to its owner, another namespace is untouched.
        var (exit, output, error) = await CliProcess.RunAsync($"restore --repo file://{bed.Remote} --at {point} -n shop --apply --force-conflicts", "",
            ("KUBECONFIG", bed.KubeconfigPath));
        exit.Should().Be(0, output + error);
        output.Should().Contain("""
            create     shop Secret/db
                         data.password: not restorable (Git holds only its fingerprint); the cluster's value is kept
                         data.user: not restorable (Git holds only its fingerprint); the cluster's value is kept

            """.ReplaceLineEndings("\n"))
            .And.Contain("change     shop ConfigMap/settings\n             data.mode: \"fast\" → \"slow\"\n")
            .And.Contain("skipped    shop ConfigMap/web-generated: owned by Deployment/web, which makes it again\n")
            .And.NotContain("Deployment/web\n").And.NotContain("other ConfigMap/keep").And.NotContain("p4ssw0rd-value");
        (await bed.KubectlAsync("get secret db -n shop -o jsonpath={.data}")).ShouldSucceed().Output.Should().BeEmpty("Git holds no value of it");
        (await bed.KubectlAsync("get configmap settings -n shop -o jsonpath={.data.mode}")).Output.Should().Be("slow");
        (await bed.KubectlAsync("get configmap web-generated -n shop -o jsonpath={.data.made}")).Output.Should().Be("again", "its owner keeps it");
        (await bed.KubectlAsync("get deployment web -n shop -o jsonpath={.spec.replicas}")).Output.Should().Be("7", "the repository never recorded replicas");
        (await bed.KubectlAsync("get configmap keep -n other -o jsonpath={.data.k}")).Output.Should().Be("changed");

        // One object by name.
        var (oneExit, one, _) = await CliProcess.RunAsync($"restore --repo {clone} --at {point} -n other ConfigMap/keep --apply --force-conflicts", "",
            ("KUBECONFIG", bed.KubeconfigPath));
        oneExit.Should().Be(0, one);
        one.Should().Contain("change     other ConfigMap/keep\n             data.k: \"changed\" → \"v\"\n").And.Contain("\n1 object: 0 created, 1 changed,");
        (await bed.KubectlAsync("get configmap keep -n other -o jsonpath={.data.k}")).Output.Should().Be("v");

        // From a smart-HTTP remote, with the credentials in the environment, never in the URL.
        using var server = new GitHttpServer("auditor", "s3cret-http-token");
        var url = bed.ServeRemote(server, System.Net.IPAddress.Loopback);
        var (urlExit, fromUrl, urlError) = await CliProcess.RunAsync($"restore --repo {url} --at {point} -n other", "",
            ("KUBECONFIG", bed.KubeconfigPath), ("GIT_USERNAME", "auditor"), ("GIT_PASSWORD", "s3cret-http-token"));
        urlExit.Should().Be(0, fromUrl + urlError);
        fromUrl.Should().Contain("\n1 object: 0 to create, 0 to change, 1 unchanged,", "the ConfigMap of other is as at the commit");
        var (deniedExit, denied, deniedError) = await CliProcess.RunAsync($"restore --repo {url}", "",
            ("KUBECONFIG", bed.KubeconfigPath), ("GIT_USERNAME", "auditor"), ("GIT_PASSWORD", "wrong-password"));
        deniedExit.Should().Be(1);
        deniedError.Should().StartWith($"error: {url}: cannot clone {url}:").And.NotContain("wrong-password");
        denied.Should().BeEmpty();

        var (badExit, _, bad) = await CliProcess.RunAsync($"restore --repo {clone} --at not-a-commit", "", ("KUBECONFIG", bed.KubeconfigPath));
        badExit.Should().Be(1);
        bad.Should().Contain("--at not-a-commit is neither a commit of this repository nor a time");
    }

    // Waits until the remote has at least `count` commits and then no new one for three seconds.
    private static async Task SettledAsync(OperatorTestbed bed, int count = 2)
    {
        await bed.CommitsAsync(count);
        var deadline = DateTime.UtcNow.AddSeconds(60);
        var seen = GitCli.Log(bed.Remote).Count;
        var quietSince = DateTime.UtcNow;
        while (DateTime.UtcNow - quietSince < TimeSpan.FromSeconds(3) && DateTime.UtcNow < deadline)
        {
            await Task.Delay(250);
            var now = GitCli.Log(bed.Remote).Count;
            if (now != seen)
            {
                (seen, quietSince) = (now, DateTime.UtcNow);
            }
        }
    }

    // NAMESPACE/Kind/name (cluster-scoped: Kind/name) of every object file the operator wrote.
    private static List<string> RecordedKeys(OperatorTestbed bed) =>
        [.. bed.Files().Where(file => file.StartsWith("namespaces/", StringComparison.Ordinal) || file.StartsWith("cluster-scoped/", StringComparison.Ordinal))
            .Select(file => file.Split('/') switch
            {
                ["namespaces", var ns, var kind, var name] => $"{ns}/{kind.Split('.')[0]}/{Uri.UnescapeDataString(name[..^5])}",
                [_, var kind, var name] => $"{kind.Split('.')[0]}/{Uri.UnescapeDataString(name[..^5])}",
                _ => file,
            })];

    // The live objects of those keys, each without what the API server assigns, as JSON text.
    private static async Task<Dictionary<string, string>> LiveAsync(OperatorTestbed bed, IReadOnlyList<string> keys)
    {
        var live = new Dictionary<string, string>(StringComparer.Ordinal);
        const string Kinds = "configmaps,secrets,services,deployments,serviceaccounts,roles,rolebindings,networkpolicies,cronjobs," +
            "appprojects.argoproj.io,issuers.cert-manager.io,certificates.cert-manager.io,servicemonitors.monitoring.coreos.com,prometheusrules.monitoring.coreos.com";
        var lists = new List<string>
        {
            (await bed.KubectlAsync("get customresourcedefinitions,namespaces -o json")).ShouldSucceed().Output,
            (await bed.KubectlAsync($"get {Kinds} -A -o json")).ShouldSucceed().Output,
        };
        foreach (var item in lists.SelectMany(list => JsonNode.Parse(list)!["items"]!.AsArray()).OfType<JsonObject>())
        {
            var metadata = item["metadata"]!.AsObject();
            var key = $"{((string?)metadata["namespace"] is { } ns ? ns + "/" : "")}{item["kind"]}/{metadata["name"]}";
            if (!keys.Contains(key))
            {
                continue;
            }

            item.Remove("status");
            foreach (var assigned in new[] { "uid", "resourceVersion", "creationTimestamp", "generation", "managedFields" })
            {
                metadata.Remove(assigned);
            }

            if (metadata["annotations"] is JsonObject annotations)
            {
                annotations.Remove("kubectl.kubernetes.io/last-applied-configuration");
                if (annotations.Count == 0)
                {
                    metadata.Remove("annotations");
                }
            }

            if (item["spec"] is JsonObject spec && (string?)item["kind"] == "Service")
            {
                spec.Remove("clusterIP");
                spec.Remove("clusterIPs");
            }

            live[key] = item.ToJsonString();
        }

        return live;
    }
}
