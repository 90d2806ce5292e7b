using System.Text.Json.Nodes;
using GitOpsReverser.Kube;
using GitOpsReverser.KubeSim.Hosting;
using k8s;

namespace GitOpsReverser.IntegrationTests.TestSupport;

/// <summary>
/// One end-to-end setup: KubeSim with the operator's CRDs and namespace, real kubectl, a bare Git
/// remote that refuses non-fast-forward pushes (seeded with a README and another team's folder that
/// must never change), and the operator as a real process.
/// </summary>
internal sealed class OperatorTestbed : IAsyncDisposable
{
    public const string OperatorNamespace = "gitops-reverser-system";
    public const string SeedCommit = "Seed: README and another team's folder";

    private OperatorTestbed(KubeSimServer sim, TempDirectory temp, string? sharedRemote)
    {
        Sim = sim;
        Temp = temp;
        KubeconfigPath = temp.Combine("kubeconfig");
        File.WriteAllText(KubeconfigPath, sim.Kubeconfig());
        Kubectl = new Kubectl(Kubectl.Installed, KubeconfigPath, temp.Combine("kubectl-cache"));
        Http = KubernetesHttp.Create(KubernetesClientConfiguration.BuildConfigFromConfigFile(KubeconfigPath));
        if (sharedRemote is not null)
        {
            Remote = sharedRemote;
            return;
        }

        Remote = GitCli.InitBare(temp.Combine("remote.git"));
        GitCli.Run(Remote, "config", "receive.denyNonFastForwards", "true");
        var work = temp.Combine("seed");
        Directory.CreateDirectory(work);
        GitCli.Run(work, "init", "--quiet", "--initial-branch=main");
        File.WriteAllText(Path.Combine(work, "README.md"), "# Audit trail\n");
        Directory.CreateDirectory(Path.Combine(work, "other-team"));
        File.WriteAllText(Path.Combine(work, "other-team", "notes.yaml"), "owner: other-team\n");
        GitCli.Run(work, "add", ".");
        GitCli.Run(work, "-c", "user.name=Seed", "-c", "user.email=seed@example.com", "commit", "--quiet", "-m", SeedCommit);
        GitCli.Run(work, "push", "--quiet", Remote, "main");
    }

    public KubeSimServer Sim { get; }

    public TempDirectory Temp { get; }

    public string KubeconfigPath { get; }

    public Kubectl Kubectl { get; }

    /// <summary>A client for writes kubectl cannot make quickly (the fault tests' steady stream of changes).</summary>
    public HttpClient Http { get; }

    public string Remote { get; }

    public string DataDirectory => Temp.Combine("data");

    public OperatorProcess? Operator { get; private set; }

    /// <summary>
    /// Starts KubeSim (with a users file whose first user is an admin, when given; also listening on
    /// <paramref name="podNetwork"/>'s host address, when given) and installs the CRDs and the operator's
    /// namespace, unless <paramref name="installCrds"/> is false (the Helm chart installs both). With
    /// <paramref name="sharedRemote"/> (another testbed's), the operator writes to that remote: two clusters, one repository.
    /// </summary>
    public static async Task<OperatorTestbed> StartAsync(
        string? usersFile = null, bool installCrds = true, PodNetwork? podNetwork = null, string? sharedRemote = null)
    {
        var sim = await KubeSimServer.StartAsync(new KubeSimOptions
        {
            BookmarkInterval = TimeSpan.FromMilliseconds(500),
            UsersFile = usersFile,
            MoreAddresses = podNetwork is null ? [] : [podNetwork.HostAddress],
        });
        var testbed = new OperatorTestbed(sim, new TempDirectory(), sharedRemote);
        if (installCrds)
        {
            (await testbed.Kubectl.RunAsync($"apply -f {Path.Combine(Kubectl.RepositoryRoot, "deploy", "crds")}")).ShouldSucceed();
            (await testbed.Kubectl.RunAsync($"create namespace {OperatorNamespace}")).ShouldSucceed();
        }

        return testbed;
    }

    /// <summary>
    /// Replaces the CRDs with those of a release whose schemas said no more than the types: what a cluster keeps
    /// after <c>helm upgrade</c>, which never upgrades a chart's CRDs. Values the current schemas refuse (a pattern,
    /// an enum, a bound, a CEL rule) then reach the operator, whose own checks must hold.
    /// </summary>
    public async Task InstallTypeOnlyCrdsAsync()
    {
        var rendered = (await Kubectl.RunAsync($"apply --dry-run=client -o json -f {Path.Combine(Kubectl.RepositoryRoot, "deploy", "crds")}")).ShouldSucceed().Output;
        var list = JsonNode.Parse(rendered)!.AsObject();
        foreach (var crd in list["items"]!.AsArray())
        {
            foreach (var version in crd!["spec"]!["versions"]!.AsArray())
            {
                TypesOnly(version!["schema"]!["openAPIV3Schema"]!.AsObject());
            }
        }

        // One document per CRD: KubeSim serves no /openapi/v2, which kubectl needs to validate a kind: List.
        var stream = string.Join("\n---\n", list["items"]!.AsArray().Select(crd => crd!.ToJsonString()));
        (await Kubectl.RunAsync("apply -f -", stream)).ShouldSucceed();

        static void TypesOnly(JsonObject schema)
        {
            foreach (var keyword in new[] { "pattern", "enum", "minLength", "maxLength", "minimum", "maximum", "minItems", "maxItems", "format",
                "x-kubernetes-validations", "x-kubernetes-list-type" })
            {
                schema.Remove(keyword);
            }

            foreach (var child in (schema["properties"] as JsonObject ?? []).Select(pair => pair.Value)
                .Append(schema["items"]).Append(schema["additionalProperties"]).OfType<JsonObject>())
            {
                TypesOnly(child);
            }
        }
    }

    /// <summary>A GitRepoConfig for the test's remote, pushing after at most a second.</summary>
    public string RepoConfig(string name = "audit", string ns = OperatorNamespace, string extra = "") => $"""
        apiVersion: configbutler.ai/v1alpha1
        kind: GitRepoConfig
        metadata: {"{"}name: {name}, namespace: {ns}{"}"}
        spec:
          url: {Remote}
          push: {"{"}interval: 1s{"}"}
        {extra}
        """;

    /// <summary>A WatchRule in the operator's namespace for ConfigMaps in namespaces labelled <c>capture=yes</c>.</summary>
    public const string ConfigMapRule = """
        apiVersion: configbutler.ai/v1alpha1
        kind: WatchRule
        metadata: {name: configs, namespace: gitops-reverser-system}
        spec:
          gitRepoConfigRef: audit
          resources: [{apiVersion: v1, kind: ConfigMap}]
          namespaceSelector: {matchLabels: {capture: "yes"}}
        """;

    /// <summary>A WatchRule in the operator's namespace for every kind (<c>*</c>) in namespaces labelled <c>capture=yes</c>.</summary>
    public const string WildcardRule = """
        apiVersion: configbutler.ai/v1alpha1
        kind: WatchRule
        metadata: {name: everything, namespace: gitops-reverser-system}
        spec:
          gitRepoConfigRef: audit
          resources: [{apiVersion: "*", kind: "*"}]
          namespaceSelector: {matchLabels: {capture: "yes"}}
        """;

    /// <summary>
    /// A namespaced CRD serving one version, <paramref name="schema"/> being its <c>openAPIV3Schema</c> as flow YAML
    /// (default: any fields kept).
    /// </summary>
    public static string Crd(string plural, string kind, string group = "example.com", string version = "v1",
        string schema = "{type: object, x-kubernetes-preserve-unknown-fields: true}") => $$"""
        apiVersion: apiextensions.k8s.io/v1
        kind: CustomResourceDefinition
        metadata: {name: {{plural}}.{{group}}}
        spec:
          group: {{group}}
          scope: Namespaced
          names: {plural: {{plural}}, kind: {{kind}}}
          versions:
            - name: {{version}}
              served: true
              storage: true
              schema:
                openAPIV3Schema: {{schema}}

        """;

    /// <summary>The namespace <paramref name="ns"/>, labelled <c>capture=yes</c>, and <see cref="RepoConfig"/> with <see cref="ConfigMapRule"/>: its ConfigMaps are captured.</summary>
    public Task CaptureConfigMapsAsync(string ns) => CaptureAsync(ns, ConfigMapRule);

    /// <summary>The namespace <paramref name="ns"/>, labelled <c>capture=yes</c>, and <see cref="RepoConfig"/> with <see cref="WildcardRule"/>: every kind of it is captured.</summary>
    public Task CaptureEverythingAsync(string ns) => CaptureAsync(ns, WildcardRule);

    private async Task CaptureAsync(string ns, string rule)
    {
        (await KubectlAsync($"create namespace {ns}")).ShouldSucceed();
        (await KubectlAsync($"label namespace {ns} capture=yes")).ShouldSucceed();
        (await ApplyAsync(RepoConfig())).ShouldSucceed();
        (await ApplyAsync(rule)).ShouldSucceed();
    }

    public async Task<KubectlResult> ApplyAsync(string yaml) => await Kubectl.RunAsync("apply -f -", yaml);

    public async Task<KubectlResult> KubectlAsync(string arguments, IDictionary<string, string>? environment = null) =>
        await Kubectl.RunAsync(arguments, environment: environment);

    /// <summary>An executable shell script in the test's directory (an EDITOR for kubectl edit).</summary>
    public string Script(string name, string body)
    {
        var path = Temp.Combine(name);
        File.WriteAllText(path, "#!/bin/sh\n" + body + "\n");
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }

        return path;
    }

    /// <summary>
    /// Starts the operator, as the user of <paramref name="token"/> when given and with more
    /// <paramref name="settings"/> (environment variables), and waits until it is ready.
    /// </summary>
    public async Task StartOperatorAsync(string? token = null, IDictionary<string, string>? settings = null)
    {
        var kubeconfig = KubeconfigPath;
        if (token is not null)
        {
            kubeconfig = Temp.Combine("operator-kubeconfig");
            await File.WriteAllTextAsync(kubeconfig, Sim.Kubeconfig(token));
        }

        Operator = OperatorProcess.Start(kubeconfig, DataDirectory, OperatorNamespace, settings);
        await Operator.WaitReadyAsync();
    }

    /// <summary>Makes <paramref name="process"/> the operator this testbed reports and stops (one a <see cref="Kubelet"/> started).</summary>
    public void Attach(OperatorProcess process) => Operator = process;

    /// <summary>
    /// Serves the remote over smart HTTP through <paramref name="server"/> (as <c>/audit.git</c>) and
    /// returns its URL on <paramref name="address"/>, where the server must listen.
    /// </summary>
    public string ServeRemote(GitHttpServer server, System.Net.IPAddress address)
    {
        GitCli.Run(Remote, "config", "http.receivepack", "true");
        Directory.CreateSymbolicLink(Path.Combine(server.RepositoriesRoot, "audit.git"), Remote);
        return server.UrlFor("audit.git", address);
    }

    public async Task StopOperatorAsync()
    {
        if (Operator is not null)
        {
            await Operator.DisposeAsync();
            Operator = null;
        }
    }

    public void KillOperator()
    {
        Operator?.Kill();
        Operator = null;
    }

    /// <summary>The remote's commit subjects, newest first, once it has at least <paramref name="count"/> commits (the seed included).</summary>
    public async Task<List<string>> CommitsAsync(int count, string format = "%s")
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            var log = GitCli.Log(Remote, format);
            if (log.Count >= count)
            {
                return log;
            }

            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail($"expected {count} commits, the remote has:\n{string.Join('\n', log)}\noperator output:\n{Operator?.Output}");
            }

            await Task.Delay(100);
        }
    }

    /// <summary>The newest commit subject once the remote has <paramref name="count"/> commits.</summary>
    public async Task<string> CommitAsync(int count) => (await CommitsAsync(count))[0];

    public List<string> Files() => GitCli.Files(Remote);

    public string Show(string path) => GitCli.Show(Remote, "main", path);

    /// <summary>Waits until the object's Ready condition has <paramref name="status"/>; returns the condition.</summary>
    public async Task<JsonObject> WaitForReadyAsync(string resource, string? ns, string name, string status)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        var arguments = ns is null ? $"get {resource} {name} -o json" : $"get {resource} {name} -n {ns} -o json";
        while (true)
        {
            var result = await Kubectl.RunAsync(arguments);
            var condition = result.ExitCode == 0
                ? (JsonNode.Parse(result.Output)?["status"]?["conditions"] as JsonArray)?.OfType<JsonObject>().FirstOrDefault(c => (string?)c["type"] == "Ready")
                : null;
            if ((string?)condition?["status"] == status)
            {
                return condition!;
            }

            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail($"{resource} {name} never had Ready={status}; last: {condition?.ToJsonString() ?? result.Error}\noperator output:\n{Operator?.Output}");
            }

            await Task.Delay(200);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopOperatorAsync();
        Http.Dispose();
        await Sim.DisposeAsync();
        Temp.Dispose();
    }
}
