using System.Diagnostics;
using System.Text.Json.Nodes;
using GitOpsReverser.IntegrationTests.TestSupport;

namespace GitOpsReverser.IntegrationTests.Deploy;

/// <summary>
/// The chart installed into KubeSim with the real Helm, and its Deployment's container run as a pod
/// (<see cref="Kubelet"/>): the published operator with exactly the rendered args and env, its own
/// default ports, the in-cluster configuration, the chart's ServiceAccount and RBAC, a read-only root
/// and user 65532, pushing over smart HTTP with the credentials of a Secret.
/// </summary>
[Category("Integration")]
public sealed class ChartPodTests
{
    private const string Namespace = "gitops-reverser-system";

    [Test]
    public async Task ChartPod_CommitsEveryChange_AndReportsAVerbTakenFromItsClusterRole()
    {
        using var network = PodNetwork.Create();
        await using var bed = await OperatorTestbed.StartAsync(installCrds: false, podNetwork: network);
        using var git = new GitHttpServer("git", "s3cret", moreAddress: network.HostAddress);
        var deployment = await InstallAsync(bed, git, network);

        var pod = await Kubelet.StartAsync(network, bed.Sim, bed.Kubectl, deployment, "gitops-reverser-7d9f8c6b5-x2k4p", bed.Temp);
        bed.Attach(pod);
        await pod.WaitReadyAsync();
        pod.Output.Should().Contain($"Now listening on: http://0.0.0.0:8081").And.Contain("Now listening on: http://0.0.0.0:8080")
            .And.Contain("Leader election: gitops-reverser-7d9f8c6b5-x2k4p leads");
        (await pod.GetAsync(pod.MetricsPort, "/metrics")).Body.Should().Contain("gitops_reverser_");
        File.ReadAllText($"/proc/{pod.Id}/status").Should().Contain("Uid:\t65532\t65532\t65532\t65532", "the pod runs as the chart's user");
        File.ReadAllLines($"/proc/{pod.Id}/mounts").Should().Contain(line => line.Split(' ')[1] == "/" && line.Split(' ')[3].StartsWith("ro,", StringComparison.Ordinal),
            "the root file system is read-only, as readOnlyRootFilesystem makes it");

        (await bed.KubectlAsync("create configmap app -n team --from-literal=mode=blue")).ShouldSucceed();
        (await bed.CommitAsync(2)).Should().Be("[CREATE] ConfigMap/app in ns/team by manager/kubectl-create");
        (await bed.KubectlAsync("patch configmap app -n team -p {\"data\":{\"mode\":\"green\"}}")).ShouldSucceed();
        (await bed.CommitAsync(3)).Should().Be("[UPDATE] ConfigMap/app in ns/team by manager/kubectl-patch");
        (await bed.KubectlAsync("delete configmap app -n team")).ShouldSucceed();
        (await bed.CommitAsync(4)).Should().Be("[DELETE] ConfigMap/app in ns/team");

        // The watch verb taken from the ClusterRole; the API server ends watches at its request timeout
        // (here at once), and the operator's next watch is refused.
        var role = JsonNode.Parse((await bed.KubectlAsync("get clusterrole gitops-reverser -o json")).ShouldSucceed().Output)!;
        role["rules"]![0]!["verbs"] = new JsonArray("get", "list");
        (await bed.Kubectl.RunAsync("replace -f -", role.ToJsonString())).ShouldSucceed();
        bed.Sim.Faults.CloseWatches();

        var condition = await bed.WaitForReadyAsync("watchrule", Namespace, "configs", "False");
        condition["reason"]!.ToString().Should().Be("Forbidden");
        condition["message"]!.ToString().Should().Contain(
            $"configmaps is forbidden: User \"system:serviceaccount:{Namespace}:gitops-reverser\" cannot watch resource \"configmaps\" in API group \"\" at the cluster scope");
        pod.HasExited.Should().BeFalse();
        (await pod.GetAsync(pod.HealthPort, "/livez")).Code.Should().Be(200);

        // SIGTERM, as a rolling update sends it: the leader gives its Lease up, so a standby need not wait.
        await pod.StopAsync();
        pod.ExitCode.Should().Be(0);
        pod.Output.Should().Contain("Leader election: released the Lease gitops-reverser");
        (await bed.KubectlAsync($"get lease gitops-reverser -n {Namespace}")).Error.Should().Contain("NotFound");
    }

    [Test]
    public async Task TwoReplicas_OnlyTheLeaderCommits_AndAfterItsSigkillTheStandbyTakesOver()
    {
        using var network = PodNetwork.Create();
        await using var bed = await OperatorTestbed.StartAsync(installCrds: false, podNetwork: network);
        using var git = new GitHttpServer("git", "s3cret", moreAddress: network.HostAddress);
        var deployment = await InstallAsync(bed, git, network, "--set", "replicaCount=2");
        await using var first = await Kubelet.StartAsync(network, bed.Sim, bed.Kubectl, deployment, "gitops-reverser-7d9f8c6b5-aaaaa", bed.Temp);
        await using var second = await Kubelet.StartAsync(network, bed.Sim, bed.Kubectl, deployment, "gitops-reverser-7d9f8c6b5-bbbbb", bed.Temp);
        await first.WaitReadyAsync();
        await second.WaitReadyAsync();

        (await bed.KubectlAsync("create configmap one -n team --from-literal=n=1")).ShouldSucceed();
        (await bed.CommitAsync(2)).Should().Be("[CREATE] ConfigMap/one in ns/team by manager/kubectl-create");
        var holder = (await bed.KubectlAsync($"get lease gitops-reverser -n {Namespace} -o jsonpath={{.spec.holderIdentity}}")).ShouldSucceed().Output;
        var (leader, standby) = holder == "gitops-reverser-7d9f8c6b5-aaaaa" ? (first, second) : (second, first);
        standby.Output.Should().NotContain(" leads; watching and committing", "only one process ever leads at a time");
        bed.Attach(standby);

        leader.Kill();
        var killed = Stopwatch.StartNew();
        (await bed.KubectlAsync("create configmap two -n team --from-literal=n=2")).ShouldSucceed();

        // The standby takes the Lease once its duration (15 s) has passed unrenewed, and resyncs from the remote.
        var deadline = TimeSpan.FromSeconds(15 + 15);
        while (!bed.Files().Contains("namespaces/team/ConfigMap/two.yaml"))
        {
            killed.Elapsed.Should().BeLessThan(deadline, $"the standby should have taken over and committed; its output:\n{standby.Output}");
            await Task.Delay(200);
        }

        TestContext.Progress.WriteLine($"SIGKILL of the leader to the standby's commit on the remote: {killed.Elapsed.TotalSeconds:F1} s");
        var commits = GitCli.Log(bed.Remote).Count;
        (await bed.KubectlAsync("create configmap three -n team --from-literal=n=3")).ShouldSucceed();
        (await bed.CommitAsync(commits + 1)).Should().Be("[CREATE] ConfigMap/three in ns/team by manager/kubectl-create");

        bed.Files().Where(file => file.StartsWith("namespaces/team/", StringComparison.Ordinal)).Should().BeEquivalentTo(
            ["namespaces/team/ConfigMap/one.yaml", "namespaces/team/ConfigMap/two.yaml", "namespaces/team/ConfigMap/three.yaml"],
            "the repository equals the cluster");
        GitCli.Log(bed.Remote).Where(subject => subject.Contains("ConfigMap/one", StringComparison.Ordinal)).Should().ContainSingle("no change is committed twice");
        GitCli.Run(bed.Remote, "rev-list", "--merges", "main").Should().BeEmpty("never a merge commit");
        GitCli.Run(bed.Remote, "fsck", "--strict");
    }

    [Test]
    public async Task Attribution_TwoReplicas_TheLeadersWebhookNamesEachUser_AlsoAfterARotationAndAFailover()
    {
        using var users = new TempDirectory();
        await File.WriteAllTextAsync(users.Combine("users.yaml"), """
            users:
              - {name: admin, token: admin-token, groups: [system:masters]}
              - {name: alice@company.com, token: alice-token, groups: [developers]}
              - {name: bob@company.com, token: bob-token, groups: [developers]}
            """);
        using var network = PodNetwork.Create();
        await using var bed = await OperatorTestbed.StartAsync(users.Combine("users.yaml"), installCrds: false, podNetwork: network);
        using var git = new GitHttpServer("git", "s3cret", moreAddress: network.HostAddress);
        var deployment = await InstallAsync(bed, git, network, "--set", "replicaCount=2", "--set", "attribution.enabled=true");
        await using var first = await Kubelet.StartAsync(network, bed.Sim, bed.Kubectl, deployment, "gitops-reverser-7d9f8c6b5-aaaaa", bed.Temp);
        await using var second = await Kubelet.StartAsync(network, bed.Sim, bed.Kubectl, deployment, "gitops-reverser-7d9f8c6b5-bbbbb", bed.Temp);
        await first.WaitReadyAsync();
        await second.WaitReadyAsync();
        var holder = await WaitForAsync(bed, $"get lease gitops-reverser -n {Namespace} -o jsonpath={{.spec.holderIdentity}}", output => output.Length > 0);
        await WaitForAsync(bed, $"get pods -n {Namespace} -l gitops-reverser.configbutler.ai/attribution-leader=true -o name", output => output.Trim() == $"pod/{holder}");
        await WaitForAsync(bed, "get validatingwebhookconfiguration gitops-reverser-attribution -o jsonpath={.webhooks[0].rules[0].resources}",
            output => output.Contains("configmaps", StringComparison.Ordinal));
        var (leader, standby) = holder == "gitops-reverser-7d9f8c6b5-aaaaa" ? (first, second) : (second, first);
        bed.Attach(standby);

        var alice = new Kubectl(Kubectl.Installed, bed.Temp.Combine("alice-kubeconfig"), bed.Temp.Combine("alice-cache"));
        await File.WriteAllTextAsync(bed.Temp.Combine("alice-kubeconfig"), bed.Sim.Kubeconfig("alice-token"));
        (await alice.RunAsync("create configmap one -n team --from-literal=n=1")).ShouldSucceed();
        (await bed.CommitAsync(2)).Should().Be("[CREATE] ConfigMap/one in ns/team by user/alice@company.com");

        // The capability rotates (here: its Secret deleted): the leader makes a new one, registers its path, and
        // the API server's calls are credited again; the old path is refused.
        const string Registered = "get validatingwebhookconfiguration gitops-reverser-attribution -o jsonpath={.webhooks[0].clientConfig.service.path}";
        var before = (await bed.KubectlAsync(Registered)).ShouldSucceed().Output;
        before.Should().MatchRegex("^/attribution/[A-Za-z0-9_-]{43}$");
        (await bed.KubectlAsync($"delete secret gitops-reverser-webhook-capability -n {Namespace}")).ShouldSucceed();
        await WaitForAsync(bed, Registered, output => output.StartsWith("/attribution/", StringComparison.Ordinal) && output != before);
        (await alice.RunAsync("create configmap rotated -n team --from-literal=n=1")).ShouldSucceed();
        (await bed.CommitAsync(3)).Should().Be("[CREATE] ConfigMap/rotated in ns/team by user/alice@company.com");

        // The leader dies; the standby takes the Lease, moves the label to its own pod, and its records count.
        leader.Kill();
        var standbyName = holder == "gitops-reverser-7d9f8c6b5-aaaaa" ? "gitops-reverser-7d9f8c6b5-bbbbb" : "gitops-reverser-7d9f8c6b5-aaaaa";
        await WaitForAsync(bed, $"get pods -n {Namespace} -l gitops-reverser.configbutler.ai/attribution-leader=true -o name",
            output => output.Trim() == $"pod/{standbyName}", seconds: 45);
        var bob = new Kubectl(Kubectl.Installed, bed.Temp.Combine("bob-kubeconfig"), bed.Temp.Combine("bob-cache"));
        await File.WriteAllTextAsync(bed.Temp.Combine("bob-kubeconfig"), bed.Sim.Kubeconfig("bob-token"));
        var commits = GitCli.Log(bed.Remote).Count;
        (await bob.RunAsync("create configmap two -n team --from-literal=n=2")).ShouldSucceed();
        (await bed.CommitAsync(commits + 1)).Should().Be("[CREATE] ConfigMap/two in ns/team by user/bob@company.com");
        standby.Output.Should().NotContain("not recorded");
    }

    private static async Task<string> WaitForAsync(OperatorTestbed bed, string arguments, Func<string, bool> condition, int seconds = 30)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (true)
        {
            var result = await bed.KubectlAsync(arguments);
            if (result.ExitCode == 0 && condition(result.Output))
            {
                return result.Output;
            }

            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail($"kubectl {arguments} never showed what was expected; last: {result.Output}{result.Error}\noperator output:\n{bed.Operator?.Output}");
            }

            await Task.Delay(250);
        }
    }

    // The chart installed with Helm, a credentials Secret, a GitRepoConfig for the remote over HTTP and
    // a WatchRule for ConfigMaps in namespaces labelled capture=yes ("team"); returns the Deployment.
    private static async Task<JsonObject> InstallAsync(OperatorTestbed bed, GitHttpServer git, PodNetwork network, params string[] values)
    {
        var helm = new Helm(bed.KubeconfigPath, bed.Temp.Combine("helm"));
        (await helm.RunAsync(["install", "gitops-reverser", Helm.Chart, "-n", Namespace, "--create-namespace", .. values])).ShouldSucceed();
        (await bed.KubectlAsync($"create secret generic audit-repo-credentials -n {Namespace} --from-literal=username=git --from-literal=password=s3cret")).ShouldSucceed();
        (await bed.ApplyAsync(bed.RepoConfig(extra: "  secretRef: {name: audit-repo-credentials}").Replace(bed.Remote, bed.ServeRemote(git, network.HostAddress), StringComparison.Ordinal))).ShouldSucceed();
        (await bed.ApplyAsync(OperatorTestbed.ConfigMapRule)).ShouldSucceed();
        (await bed.KubectlAsync("create namespace team")).ShouldSucceed();
        (await bed.KubectlAsync("label namespace team capture=yes")).ShouldSucceed();
        return JsonNode.Parse((await bed.KubectlAsync($"get deployment gitops-reverser -n {Namespace} -o json")).ShouldSucceed().Output)!.AsObject();
    }
}
