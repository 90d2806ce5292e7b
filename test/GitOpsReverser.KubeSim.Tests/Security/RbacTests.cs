using GitOpsReverser.KubeSim.Tests.Support;

namespace GitOpsReverser.KubeSim.Tests.Security;

/// <summary>
/// RBAC for ServiceAccounts, proven with the real kubectl: tokens from <c>kubectl create token</c>, roles
/// and bindings from <c>kubectl create</c>, answers from <c>kubectl auth can-i</c> and the API server's
/// 403 messages. Each test uses its own namespace and ServiceAccount.
/// </summary>
[Category("Integration")]
public sealed class RbacTests
{
    private RunningKubeSim sim = null!;
    private TestServers.Kubectl admin = null!;

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        sim = await RunningKubeSim.StartAsync();
        admin = new TestServers.Kubectl(TestServers.Kubectl.Installed, sim.KubeconfigPath, Path.Combine(sim.Directory, "cache-admin"));
    }

    [OneTimeTearDown]
    public async Task StopAsync() => await sim.DisposeAsync();

    [Test]
    public async Task ServiceAccount_WithoutBindings_IsForbiddenWithTheApiServersMessage_AndMayStillDiscover()
    {
        var bot = await ServiceAccountAsync("lonely");

        var secrets = await bot.RunAsync("get secrets -A");
        var namespaced = await bot.RunAsync("get configmaps -n lonely");
        var named = await bot.RunAsync("get configmap settings -n lonely");

        secrets.Error.Should().Contain("Error from server (Forbidden): secrets is forbidden: User \"system:serviceaccount:lonely:bot\" " +
            "cannot list resource \"secrets\" in API group \"\" at the cluster scope");
        namespaced.Error.Should().Contain("configmaps is forbidden: User \"system:serviceaccount:lonely:bot\" " +
            "cannot list resource \"configmaps\" in API group \"\" in the namespace \"lonely\"");
        named.Error.Should().Contain("configmaps \"settings\" is forbidden: User \"system:serviceaccount:lonely:bot\" cannot get resource \"configmaps\"");
        (await bot.RunAsync("api-resources")).Output.Should().Contain("configmaps", "system:discovery lets every authenticated caller discover");
        (await bot.RunAsync("auth whoami -o jsonpath={.status.userInfo.groups}")).Output
            .Should().Be("[\"system:serviceaccounts\",\"system:serviceaccounts:lonely\",\"system:authenticated\"]");
    }

    [Test]
    public async Task RoleBinding_AddedLater_TakesEffectAtOnce_InItsNamespaceOnly()
    {
        var bot = await ServiceAccountAsync("team");
        (await admin.RunAsync("create namespace team-other")).ShouldSucceed();
        (await bot.RunAsync("auth can-i list configmaps -n team")).Output.Trim().Should().Be("no");

        (await admin.RunAsync("create role reader -n team --verb=get,list,watch --resource=configmaps")).ShouldSucceed();
        (await admin.RunAsync("create rolebinding reader -n team --role=reader --serviceaccount=team:bot")).ShouldSucceed();

        (await bot.RunAsync("auth can-i list configmaps -n team")).Output.Trim().Should().Be("yes");
        (await bot.RunAsync("get configmaps -n team")).ShouldSucceed();
        (await bot.RunAsync("auth can-i list configmaps -n team-other")).Output.Trim().Should().Be("no");
        (await bot.RunAsync("auth can-i delete configmaps -n team")).Output.Trim().Should().Be("no");

        (await admin.RunAsync("delete rolebinding reader -n team")).ShouldSucceed();
        (await bot.RunAsync("get configmaps -n team")).Error.Should().Contain("Forbidden");
    }

    [Test]
    public async Task ClusterRoleRules_MatchSubresources_ResourceNames_AndNonResourceUrls()
    {
        var bot = await ServiceAccountAsync("rules");
        (await admin.RunAsync("apply -f -", """
            apiVersion: rbac.authorization.k8s.io/v1
            kind: ClusterRole
            metadata: {name: rules-bot}
            rules:
              - {apiGroups: [""], resources: ["*/status"], verbs: [patch]}
              - {apiGroups: [apps], resources: [deployments/scale], verbs: [update]}
              - {apiGroups: [""], resources: [secrets], verbs: [get], resourceNames: [only-this]}
              - {nonResourceURLs: [/metrics, "/logs/*"], verbs: [get]}
            ---
            apiVersion: rbac.authorization.k8s.io/v1
            kind: ClusterRoleBinding
            metadata: {name: rules-bot}
            roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: rules-bot}
            subjects: [{kind: ServiceAccount, name: bot, namespace: rules}]
            """)).ShouldSucceed();

        async Task<string> CanI(string arguments) => (await bot.RunAsync($"auth can-i {arguments}")).Output.Trim();

        (await CanI("patch pods --subresource=status -A")).Should().Be("yes");
        (await CanI("patch pods -A")).Should().Be("no", "*/status grants the subresource only");
        (await CanI("update deployments.apps --subresource=scale -n rules")).Should().Be("yes");
        (await CanI("update deployments.apps -n rules")).Should().Be("no");
        (await CanI("get secret/only-this -n rules")).Should().Be("yes");
        (await CanI("get secret/another -n rules")).Should().Be("no");
        (await CanI("list secrets -n rules")).Should().Be("no", "resourceNames never match a request without a name");
        (await CanI("get /metrics")).Should().Be("yes");
        (await CanI("get /logs/kubelet.log")).Should().Be("yes");
        (await CanI("get /debug/pprof")).Should().Be("no");
    }

    [Test]
    public async Task AggregatedClusterRole_HasTheRulesOfTheRolesItSelects()
    {
        var bot = await ServiceAccountAsync("aggregate");
        (await admin.RunAsync("apply -f -", """
            apiVersion: rbac.authorization.k8s.io/v1
            kind: ClusterRole
            metadata: {name: aggregate-reader}
            aggregationRule:
              clusterRoleSelectors: [{matchLabels: {example.com/aggregate-to-reader: "true"}}]
            ---
            apiVersion: rbac.authorization.k8s.io/v1
            kind: ClusterRoleBinding
            metadata: {name: aggregate-reader}
            roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: aggregate-reader}
            subjects: [{kind: ServiceAccount, name: bot, namespace: aggregate}]
            """)).ShouldSucceed();
        (await bot.RunAsync("auth can-i list services -A")).Output.Trim().Should().Be("no");

        (await admin.RunAsync("apply -f -", """
            apiVersion: rbac.authorization.k8s.io/v1
            kind: ClusterRole
            metadata:
              name: services-part
              labels: {example.com/aggregate-to-reader: "true"}
            rules: [{apiGroups: [""], resources: [services], verbs: [list]}]
            """)).ShouldSucceed();

        (await bot.RunAsync("auth can-i list services -A")).Output.Trim().Should().Be("yes");
    }

    [Test]
    public async Task Tokens_AreRefusedWhenTooShort_AndStopWorkingWithTheirServiceAccount()
    {
        var bot = await ServiceAccountAsync("tokens");

        var tooShort = await admin.RunAsync("create token bot -n tokens --duration=1m");
        var missing = await admin.RunAsync("create token nobody -n tokens");

        tooShort.Error.Should().Contain("spec.expirationSeconds: Invalid value: 60: may not specify a duration less than 10 minutes");
        missing.Error.Should().Contain("serviceaccounts \"nobody\" not found");
        (await bot.RunAsync("auth whoami")).ShouldSucceed();
        (await admin.RunAsync("delete serviceaccount bot -n tokens")).ShouldSucceed();
        (await bot.RunAsync("auth whoami")).Error.Should().Contain("Unauthorized");
        (await admin.RunAsync("create serviceaccount bot -n tokens")).ShouldSucceed();
        (await bot.RunAsync("auth whoami")).Error.Should().Contain("Unauthorized", "a token is bound to its account's uid, not its name");
    }

    [Test]
    public async Task Administrator_MayDoAnything_AndTheBootstrapPolicyIsServed()
    {
        (await admin.RunAsync("auth can-i '*' '*' -A")).Output.Trim().Should().Be("yes");
        (await admin.RunAsync("get clusterroles -o name")).Output.Should().Contain("clusterrole.rbac.authorization.k8s.io/cluster-admin")
            .And.Contain("clusterrole.rbac.authorization.k8s.io/system:discovery");
        (await admin.RunAsync("get clusterrolebinding system:basic-user -o jsonpath={.subjects[0].name}")).Output.Should().Be("system:authenticated");
    }

    // A namespace with a ServiceAccount "bot", and kubectl acting with a token from TokenRequest.
    private async Task<TestServers.Kubectl> ServiceAccountAsync(string ns)
    {
        (await admin.RunAsync($"create namespace {ns}")).ShouldSucceed();
        (await admin.RunAsync($"create serviceaccount bot -n {ns}")).ShouldSucceed();
        var token = await admin.RunAsync($"create token bot -n {ns}");
        token.ShouldSucceed();
        return new TestServers.Kubectl(TestServers.Kubectl.Installed, sim.KubeconfigFor(token.Output.Trim()), Path.Combine(sim.Directory, $"cache-{ns}"));
    }
}
