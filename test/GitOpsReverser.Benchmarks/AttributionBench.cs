using System.Diagnostics;
using System.Globalization;
using System.Text;
using GitOpsReverser.Kube;
using GitOpsReverser.TestServers;
using k8s;

namespace GitOpsReverser.Benchmarks;

/// <summary>
/// The attribution webhook, with KubeSim and the operator as separate processes:
///   dotnet run -c Release --project test/GitOpsReverser.Benchmarks -- attribution [--rate 200] [--seconds 20] [--writes 50] [--picture FILE.png]
/// Reports the webhook's latency (AdmissionReviews of a 1 KiB ConfigMap posted at a steady rate over one
/// kept-alive TLS connection: p50, p99, max), then the attribution share under a mixed load: two users
/// create, update and delete ConfigMaps through KubeSim (which calls the webhook) at <c>--writes</c> per
/// second, and of the commits that come of it, how many name their user. With <c>--picture</c>, a real
/// Prometheus scrapes the operator throughout and headless Chromium saves its graphs of the dashboard's
/// main queries over the run as a PNG (README.md's picture).
/// </summary>
internal static partial class OperatorBench
{
    public static async Task<int> RunAttributionAsync(string[] args)
    {
        var rate = Option(args, "--rate", 200);
        var seconds = Option(args, "--seconds", 20);
        var writesPerSecond = Option(args, "--writes", 50);
        var root = Path.Combine(OptionText(args, "--dir") ?? Path.GetTempPath(), "attribution-bench-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(root);
        var users = Path.Combine(root, "users.yaml");
        await File.WriteAllTextAsync(users, """
            users:
              - {name: admin, token: admin-token, groups: [system:masters]}
              - {name: gitops-reverser, token: operator-token, groups: [system:masters]}
              - {name: alice@example.com, token: alice-token, groups: [developers]}
              - {name: bob@example.com, token: bob-token, groups: [developers]}
            """);
        var kubeconfig = Path.Combine(root, "kubeconfig");
        using var sim = Start("kubesim.dll", ["--port", "0", "--kubeconfig", kubeconfig, "--users", users]);
        Process? operatorProcess = null;
        try
        {
            while (!File.Exists(kubeconfig) || sim.StandardOutput.ReadLine() is not { } line || !line.StartsWith("KubeSim listening", StringComparison.Ordinal))
            {
                await Task.Delay(50);
            }

            string KubeconfigFor(string token)
            {
                var path = Path.Combine(root, $"kubeconfig-{token}");
                File.WriteAllText(path, File.ReadAllText(kubeconfig).Replace("admin-token", token, StringComparison.Ordinal));
                return path;
            }

            HttpClient ClientFor(string token) => KubernetesHttp.Create(KubernetesClientConfiguration.BuildConfigFromConfigFile(KubeconfigFor(token)));
            var kubectl = new Kubectl(File.Exists("/usr/bin/kubectl") ? "/usr/bin/kubectl" : Kubectl.Installed, kubeconfig, Path.Combine(root, "cache"));
            (await kubectl.RunAsync($"apply -f {Path.Combine(Kubectl.RepositoryRoot, "deploy", "crds")}")).ShouldSucceed();
            var remote = GitCli.InitBare(Path.Combine(root, "remote.git"));
            (await kubectl.RunAsync("apply -f -", $"""
                apiVersion: v1
                kind: Namespace
                metadata: {"{"}name: {OperatorNamespace}{"}"}
                ---
                apiVersion: v1
                kind: Namespace
                metadata: {"{"}name: bench{"}"}
                ---
                apiVersion: v1
                kind: ConfigMap
                metadata: {"{"}name: seed, namespace: bench{"}"}
                data: {"{"}v: "0"{"}"}
                ---
                apiVersion: configbutler.ai/v1alpha1
                kind: GitRepoConfig
                metadata: {"{"}name: audit, namespace: {OperatorNamespace}{"}"}
                spec:
                  url: {remote}
                  push: {"{"}interval: 250ms, maxCommits: 500{"}"}
                ---
                apiVersion: configbutler.ai/v1alpha1
                kind: WatchRule
                metadata: {"{"}name: configmaps, namespace: {OperatorNamespace}{"}"}
                spec:
                  gitRepoConfigRef: audit
                  resources: [{"{"}apiVersion: v1, kind: ConfigMap{"}"}]
                """)).ShouldSucceed();

            var (health, metricsPort, webhookPort) = (LoopbackPorts.Free(), LoopbackPorts.Free(), LoopbackPorts.Free());
            operatorProcess = Start("gitops-reverser.dll",
            [
                "run", "--kubeconfig", KubeconfigFor("operator-token"), "--data-dir", Path.Combine(root, "data"), "--namespace", OperatorNamespace,
                "--listen-address", "127.0.0.1", "--health-port", health.ToString(CultureInfo.InvariantCulture),
                "--metrics-port", metricsPort.ToString(CultureInfo.InvariantCulture), "--allow-local-repositories",
                "--webhook-url", $"https://127.0.0.1:{webhookPort}", "--webhook-port", webhookPort.ToString(CultureInfo.InvariantCulture),
            ]);
            operatorProcess.BeginOutputReadLine();
            using var probe = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{health}/") };
            while (!await IsOkAsync(probe, "readyz")
                   || !(await kubectl.RunAsync("get validatingwebhookconfiguration gitops-reverser-attribution -o jsonpath={.webhooks[0].rules}")).Output.Contains("configmaps", StringComparison.Ordinal))
            {
                await Task.Delay(50);
            }

            while (GitCli.Run(remote, "for-each-ref").Length == 0)
            {
                await Task.Delay(50);
            }

            using var prometheus = OptionText(args, "--picture") is null ? null : new PrometheusServer($"127.0.0.1:{metricsPort.ToString(CultureInfo.InvariantCulture)}");
            // The registration's URL carries the capability only the API server (and an administrator) knows.
            var registered = new Uri((await kubectl.RunAsync("get validatingwebhookconfiguration gitops-reverser-attribution -o jsonpath={.webhooks[0].clientConfig.url}")).Output.Trim());
            await WebhookLatencyAsync(webhookPort, registered.AbsolutePath, rate, seconds);
            await AttributionShareAsync(ClientFor("alice-token"), ClientFor("bob-token"), Path.Combine(root, "data"), remote, writesPerSecond, seconds);
            if (prometheus is not null)
            {
                await PictureAsync(prometheus, Path.GetFullPath(OptionText(args, "--picture")!));
            }

            return 0;
        }
        finally
        {
            operatorProcess?.Kill(entireProcessTree: true);
            operatorProcess?.Dispose();
            sim.Kill(entireProcessTree: true);
            try
            {
                Directory.Delete(root, recursive: true);
            }
            catch (IOException)
            {
                // A process still closing files; the temp folder is cleaned up later.
            }
        }
    }

    // Prometheus's own graph page for each of the dashboard's main queries, saved by headless Chromium as
    // FILE-1.png, FILE-2.png, … (one graph a page: the page scrolls to its last graph, which a taller one would cut).
    private static async Task PictureAsync(PrometheusServer prometheus, string file)
    {
        await Task.Delay(3000);
        string[] queries =
        [
            "sum by (outcome) (rate(gitops_reverser_events_processed_total[15s]))",
            "sum by (repository) (rate(gitops_reverser_git_commits_total[15s]))",
            "histogram_quantile(0.99, sum by (le, repository) (rate(gitops_reverser_git_push_duration_seconds_bucket[15s])))",
            "gitops_reverser_git_pending_commits",
        ];
        var stem = Path.Combine(Path.GetDirectoryName(file)!, Path.GetFileNameWithoutExtension(file));
        for (var i = 0; i < queries.Length; i++)
        {
            var picture = $"{stem}-{i + 1}.png";
            var url = $"http://127.0.0.1:{prometheus.Port.ToString(CultureInfo.InvariantCulture)}/graph?g0.expr={Uri.EscapeDataString(queries[i])}&g0.tab=0&g0.range_input=2m";
            var start = new ProcessStartInfo("chromium")
            {
                ArgumentList = { "--headless=new", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--window-size=1280,900", "--virtual-time-budget=10000", $"--screenshot={picture}", url },
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            };
            using var chromium = Process.Start(start)!;
            var errors = chromium.StandardError.ReadToEndAsync();
            await chromium.WaitForExitAsync();
            Report(File.Exists(picture) ? $"picture: {picture} ({new FileInfo(picture).Length:N0} bytes): {queries[i]}" : $"picture: chromium made none ({await errors})");
        }
    }

    // AdmissionReviews posted straight to the webhook, one every 1/rate s (each on its own task, so a slow one delays no other).
    private static async Task WebhookLatencyAsync(int port, string path, int rate, int seconds)
    {
        using var handler = new SocketsHttpHandler { SslOptions = { RemoteCertificateValidationCallback = (_, _, _, _) => true } };
        using var client = new HttpClient(handler) { BaseAddress = new Uri($"https://127.0.0.1:{port}") };
        var data = new string('x', 1024);
        string Review(int i) => $$$"""
            {"apiVersion":"admission.k8s.io/v1","kind":"AdmissionReview","request":{"uid":"{{{Guid.NewGuid()}}}",
             "kind":{"group":"","version":"v1","kind":"ConfigMap"},"resource":{"group":"","version":"v1","resource":"configmaps"},
             "namespace":"bench","name":"direct-{{{i % 1000}}}","operation":"UPDATE","userInfo":{"username":"alice@example.com","groups":["developers"]},
             "object":{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"direct-{{{i % 1000}}}","namespace":"bench","labels":{"app":"bench"}},
                       "data":{"payload":"{{{data}}}","value":"{{{i}}}"} } } }
            """;
        async Task<double> PostAsync(int i)
        {
            var clock = Stopwatch.StartNew();
            using var response = await client.PostAsync(path, new StringContent(Review(i), Encoding.UTF8, "application/json"));
            response.EnsureSuccessStatusCode();
            return clock.Elapsed.TotalMilliseconds;
        }

        // Warm up: the first requests pay for the TLS handshake and the JIT.
        for (var i = 0; i < 200; i++)
        {
            await PostAsync(i);
        }

        var pending = new List<Task<double>>();
        var interval = TimeSpan.FromSeconds(1.0 / rate);
        var started = Stopwatch.StartNew();
        for (var i = 0; i < rate * seconds; i++)
        {
            var due = interval * i;
            if (started.Elapsed < due)
            {
                await Task.Delay(due - started.Elapsed);
            }

            pending.Add(PostAsync(i));
        }

        var latencies = (await Task.WhenAll(pending)).ToList();
        Report($"webhook latency at {rate} requests/s for {seconds} s ({latencies.Count} AdmissionReviews of a 1 KiB ConfigMap over TLS): "
            + $"p50 {Percentile(latencies, 50):F2} ms, p99 {Percentile(latencies, 99):F2} ms, max {latencies.Max():F1} ms");
    }

    // Two users create, update and delete ConfigMaps through KubeSim; of the commits that come of it, the share that names its user.
    private static async Task AttributionShareAsync(HttpClient alice, HttpClient bob, string data, string remote, int writesPerSecond, int seconds)
    {
        await RemoteCaughtUpAsync(data, remote);
        var before = CommitCount(remote);
        var interval = TimeSpan.FromSeconds(1.0 / writesPerSecond);
        var clock = Stopwatch.StartNew();
        var writes = 0;
        for (var i = 0; i < writesPerSecond * seconds; i++)
        {
            var due = interval * i;
            if (clock.Elapsed < due)
            {
                await Task.Delay(due - clock.Elapsed);
            }

            // Per object: alice creates it, bob changes it, alice changes it again, bob deletes every fourth.
            var name = $"mixed-{i / 4:D5}";
            using var response = (i % 4) switch
            {
                0 => await alice.PostAsync("api/v1/namespaces/bench/configmaps",
                    new StringContent($$$"""{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"{{{name}}}"},"data":{"v":"0"}}""", Encoding.UTF8, "application/json")),
                1 => await PatchAsync(bob, name, "1"),
                2 => await PatchAsync(alice, name, "2"),
                _ => i / 4 % 4 == 0 ? await bob.DeleteAsync($"api/v1/namespaces/bench/configmaps/{name}") : await PatchAsync(bob, name, "3"),
            };
            response.EnsureSuccessStatusCode();
            writes++;
        }

        // Settled: every change committed and pushed, and nothing more arriving.
        var last = -1;
        while (CommitCount(remote) != last)
        {
            last = CommitCount(remote);
            await Task.Delay(2000);
            await RemoteCaughtUpAsync(data, remote);
        }

        var subjects = GitCli.Run(remote, "log", "--format=%s", $"-{CommitCount(remote) - before}", "main").Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var attributed = subjects.Count(subject => subject.EndsWith(" by user/alice@example.com", StringComparison.Ordinal)
            || subject.EndsWith(" by user/bob@example.com", StringComparison.Ordinal));
        Report($"attribution share: {writes} writes by two users at {writesPerSecond}/s for {seconds} s became {subjects.Length} commits, "
            + $"{attributed} of them ({100.0 * attributed / Math.Max(1, subjects.Length):F1}%) naming their user");

        static Task<HttpResponseMessage> PatchAsync(HttpClient client, string name, string value) =>
            client.PatchAsync($"api/v1/namespaces/bench/configmaps/{name}",
                new StringContent($$$"""{"data":{"v":"{{{value}}}"}}""", Encoding.UTF8, "application/merge-patch+json"));
    }
}
