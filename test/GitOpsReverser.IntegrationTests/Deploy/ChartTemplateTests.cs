using System.Text.RegularExpressions;
using YamlDotNet.Serialization;

namespace GitOpsReverser.IntegrationTests.Deploy;

/// <summary>
/// The Helm chart rendered by the real Helm 4: lint, golden files of the default and the every-option
/// rendering, schema rejections that name the field, one source for the CRDs, the restricted Pod
/// Security Standard and least-privilege RBAC. <c>UPDATE_GOLDEN=1</c> rewrites the golden files (Deploy/golden/).
/// </summary>
[Category("Integration")]
public sealed partial class ChartTemplateTests
{
    private const string Release = "gitops-reverser";
    private const string Namespace = "gitops-reverser-system";

    // Golden renderings and the every-option values, read from (and rewritten in) the repository.
    private static readonly string Golden = Path.Combine(Kubectl.RepositoryRoot, "test", "GitOpsReverser.IntegrationTests", "Deploy", "golden");
    private static readonly string AllOptions = Path.Combine(Golden, "all-options.values.yaml");

    private TempDirectory temp = null!;
    private Helm helm = null!;

    [OneTimeSetUp]
    public void SetUp()
    {
        temp = new TempDirectory();
        File.WriteAllText(temp.Combine("kubeconfig"), "apiVersion: v1\nkind: Config\nclusters: []\ncontexts: []\nusers: []\n");
        helm = new Helm(temp.Combine("kubeconfig"), temp.Combine("helm"));
    }

    [OneTimeTearDown]
    public void TearDown() => temp.Dispose();

    [Test]
    public async Task Lint_Strict_PassesWithTheDefaultsAndWithEveryOption()
    {
        (await helm.RunAsync("lint", "--strict", Helm.Chart)).ShouldSucceed();
        (await helm.RunAsync("lint", "--strict", Helm.Chart, "-f", AllOptions)).ShouldSucceed();
    }

    [TestCase("default")]
    [TestCase("all-options")]
    public async Task Template_MatchesTheGoldenFile(string name)
    {
        var rendered = await RenderAsync(name == "default" ? [] : ["-f", AllOptions]);
        var golden = Path.Combine(Golden, $"{name}.yaml");
        if (Environment.GetEnvironmentVariable("UPDATE_GOLDEN") == "1")
        {
            await File.WriteAllTextAsync(golden, rendered);
        }

        rendered.Should().Be(await File.ReadAllTextAsync(golden), $"the chart renders as {golden} says (UPDATE_GOLDEN=1 rewrites it)");
    }

    [TestCase("replicaCount=two", "at '/replicaCount': got string, want integer")]
    [TestCase("imagee.tag=1.0", "additional properties 'imagee' not allowed")]
    [TestCase("resources.requests.memroy=1Gi", "additional properties 'memroy' not allowed")]
    [TestCase("logLevel=Verbose", "at '/logLevel'")]
    [TestCase("persistence.accessModes={ReadWriteAlways}", "at '/persistence/accessModes/0'")]
    public async Task Template_InvalidValue_FailsNamingTheField(string value, string message)
    {
        var result = await helm.RunAsync("template", Release, Helm.Chart, "-n", Namespace, "--set", value);

        result.ExitCode.Should().NotBe(0);
        result.Error.Should().Contain("values don't meet the specifications of the schema").And.Contain(message);
    }

    [Test]
    public async Task Template_PersistenceWithReplicasButNoSharedVolume_FailsWithAReason()
    {
        var result = await helm.RunAsync("template", Release, Helm.Chart, "--set", "persistence.enabled=true", "--set", "replicaCount=2");

        result.Error.Should().Contain("persistence with more than one replica needs persistence.accessModes [ReadWriteMany]");
    }

    [Test]
    public void Crds_AreExactlyTheOnesInDeployCrds()
    {
        var source = Directory.GetFiles(Path.Combine(Kubectl.RepositoryRoot, "deploy", "crds"), "*.yaml").Select(Path.GetFileName).Order().ToList();
        var chart = Directory.GetFiles(Path.Combine(Helm.Chart, "crds"), "*.yaml").Select(Path.GetFileName).Order().ToList();

        chart.Should().Equal(source, "the chart installs the CRDs of deploy/crds/, no more, no fewer");
        foreach (var file in source)
        {
            File.ReadAllText(Path.Combine(Helm.Chart, "crds", file!)).Should().Be(
                File.ReadAllText(Path.Combine(Kubectl.RepositoryRoot, "deploy", "crds", file!)), $"deploy/crds/{file} is the one source (copy it into the chart)");
        }
    }

    [TestCase("default")]
    [TestCase("all-options")]
    public async Task Deployment_MeetsTheRestrictedPodSecurityStandard(string name)
    {
        var deployment = Documents(await RenderAsync(name == "default" ? [] : ["-f", AllOptions])).Single(document => Kind(document) == "Deployment");
        var pod = Map(Map(Map(deployment, "spec"), "template"), "spec");
        var container = (Dictionary<object, object>)((List<object>)pod["containers"]).Single();
        var podSecurity = Map(pod, "securityContext");
        var security = Map(container, "securityContext");

        podSecurity["runAsNonRoot"].Should().Be("true");
        Map(podSecurity, "seccompProfile")["type"].Should().Be("RuntimeDefault");
        security["allowPrivilegeEscalation"].Should().Be("false");
        security["readOnlyRootFilesystem"].Should().Be("true");
        ((List<object>)Map(security, "capabilities")["drop"]).Should().Equal("ALL");
        pod.Should().NotContainKeys("hostNetwork", "hostPID", "hostIPC");
        ((List<object>)container["args"]).Should().Contain(["run", "--namespace=gitops-reverser-system", "--leader-election"])
            .And.NotContain(argument => ((string)argument).StartsWith("--listen-address", StringComparison.Ordinal)
                || ((string)argument).StartsWith("--health-port", StringComparison.Ordinal)
                || ((string)argument).StartsWith("--metrics-port", StringComparison.Ordinal), "the container runs the operator's own defaults");
    }

    [TestCase("default")]
    [TestCase("all-options")]
    [TestCase("attribution")]
    public async Task Rbac_WritesOnlyStatusTheLeaseAndTheWebhooksOwnObjects_ReadsSecretsOnlyWhenAllowed(string name)
    {
        var documents = Documents(await RenderAsync(name switch
        {
            "default" => [],
            "attribution" => ["--set", "attribution.enabled=true"],
            _ => ["-f", AllOptions],
        }));
        // The operator's own roles: the aggregated ones grant people, through admin, edit and view, not the operator.
        var rules = documents.Where(document => Kind(document) is "ClusterRole" or "Role" && !IsAggregated(document))
            .SelectMany(role => ((List<object>)role["rules"]).Cast<Dictionary<object, object>>().Select(rule => (Kind(role), Rule: rule)))
            .ToList();

        foreach (var (kind, rule) in rules)
        {
            var verbs = Strings(rule, "verbs");
            var resources = Strings(rule, "resources");
            if (verbs.Except(["get", "list", "watch"]).Any())
            {
                var names = rule.TryGetValue("resourceNames", out var named) ? ((List<object>)named).Cast<string>().ToList() : [];
                var allowedWrite = (resources.All(resource => resource.EndsWith("/status", StringComparison.Ordinal)) && verbs.SequenceEqual(["patch"]))
                    || (kind == "ClusterRole" && resources.SequenceEqual(["subjectaccessreviews"]) && verbs.SequenceEqual(["create"]))
                    || (kind == "Role" && resources.SequenceEqual(["leases"]))
                    || (resources.SequenceEqual(["validatingwebhookconfigurations"]) && names.SequenceEqual(["gitops-reverser-attribution"]))
                    || (kind == "Role" && resources.SequenceEqual(["secrets"]) && (names.SequenceEqual(["gitops-reverser-webhook-tls"]) || names.SequenceEqual(["gitops-reverser-webhook-capability"]) || verbs.SequenceEqual(["create"])))
                    || (kind == "Role" && resources.SequenceEqual(["pods"]) && verbs.SequenceEqual(["list", "patch"]) && name != "default");
                allowedWrite.Should().BeTrue($"{kind} rule {string.Join(',', verbs)} on {string.Join(',', resources)} is a write beyond status, the Lease and the webhook's own objects");
            }
        }

        var clusterReadsSecrets = rules.Any(pair => pair.Item1 == "ClusterRole"
            && (Strings(pair.Rule, "resources").Contains("*") && Strings(pair.Rule, "apiGroups").Contains("*") || Strings(pair.Rule, "resources").Contains("secrets")));
        clusterReadsSecrets.Should().Be(name != "all-options", "rbac.readSecrets decides whether Secrets are read cluster-wide");
        rules.Where(pair => pair.Item1 == "Role" && Strings(pair.Rule, "resources").Contains("leases") && pair.Rule.ContainsKey("resourceNames"))
            .Should().ContainSingle().Which.Rule["resourceNames"].Should().BeEquivalentTo(new List<object> { "gitops-reverser" });
    }

    private async Task<string> RenderAsync(string[] more)
    {
        var result = await helm.RunAsync(["template", Release, Helm.Chart, "-n", Namespace, .. more]);
        result.ShouldSucceed();

        // The fingerprint key is random per rendering (kept across upgrades by lookup): golden files hold a placeholder.
        return SigningKey().Replace(FingerprintKey().Replace(result.Output, "fingerprint.key: <random>"), "ssh-privatekey: <random>");
    }

    private static List<Dictionary<object, object>> Documents(string yaml)
    {
        var deserializer = new DeserializerBuilder().Build();
        return [.. yaml.Split("\n---\n").Select(document => deserializer.Deserialize<Dictionary<object, object>?>(document)).OfType<Dictionary<object, object>>()];
    }

    private static string? Kind(Dictionary<object, object> document) => document.TryGetValue("kind", out var kind) ? kind as string : null;

    private static bool IsAggregated(Dictionary<object, object> role) =>
        Map(role, "metadata").TryGetValue("labels", out var labels)
        && ((Dictionary<object, object>)labels).Keys.Cast<string>().Any(label => label.StartsWith("rbac.authorization.k8s.io/aggregate-to-", StringComparison.Ordinal));

    [Test]
    public async Task AggregatedRoles_GrantPeopleTheNamespacedResourcesOnly_NeverStatusOrClusterWatchRules()
    {
        var aggregated = Documents(await RenderAsync([])).Where(document => Kind(document) == "ClusterRole" && IsAggregated(document)).ToList();

        aggregated.Should().HaveCount(2);
        foreach (var rule in aggregated.SelectMany(role => ((List<object>)role["rules"]).Cast<Dictionary<object, object>>()))
        {
            Strings(rule, "apiGroups").Should().Equal("configbutler.ai");
            Strings(rule, "resources").Should().NotContain("clusterwatchrules");
            if (Strings(rule, "verbs").Except(["get", "list", "watch"]).Any())
            {
                Strings(rule, "resources").Should().NotContain(resource => resource.EndsWith("/status", StringComparison.Ordinal), "the status is the operator's");
            }
        }

        Documents(await RenderAsync(["--set", "tenancy.aggregateRoles=false"])).Should().NotContain(document => Kind(document) == "ClusterRole" && IsAggregated(document));
    }

    private static Dictionary<object, object> Map(Dictionary<object, object> map, string key) => (Dictionary<object, object>)map[key];

    private static List<string> Strings(Dictionary<object, object> map, string key) =>
        map.TryGetValue(key, out var value) && value is List<object> list ? [.. list.Cast<string>()] : [];

    [GeneratedRegex("fingerprint.key: [A-Za-z0-9+/=]{20,}")]
    private static partial Regex FingerprintKey();

    [GeneratedRegex("ssh-privatekey: [A-Za-z0-9+/=]{20,}")]
    private static partial Regex SigningKey();
}
