using System.Text.RegularExpressions;
using GitOpsReverser.IntegrationTests.TestSupport;

namespace GitOpsReverser.IntegrationTests.Hosting;

/// <summary><c>gitops-reverser run</c> as a real process: settings refused with clear errors, probes, and every watch metric on /metrics.</summary>
[Category("Integration")]
public sealed partial class RunCommandTests
{
    [Test]
    public async Task Run_WithoutDataDirectory_ExitsWithAClearError()
    {
        using var temp = new TempDirectory();
        await File.WriteAllTextAsync(temp.Combine("kubeconfig"), "apiVersion: v1\nkind: Config\nclusters: []\ncontexts: []\nusers: []\n");
        await using var process = OperatorProcess.StartRaw(["run", "--kubeconfig", temp.Combine("kubeconfig")]);

        (await process.WaitForExitAsync(TimeSpan.FromSeconds(30))).Should().Be(1);
        process.Output.Should().Be("error: Operator:DataDirectory (--data-dir) is required: the folder for local clones and the fingerprint key\n");
    }

    [Test]
    public async Task Run_MissingKubeconfigOrBadPort_ExitsWithAClearError()
    {
        using var temp = new TempDirectory();
        await using (var missing = OperatorProcess.StartRaw(["run", "--kubeconfig", temp.Combine("nope"), "--data-dir", temp.Combine("data")]))
        {
            (await missing.WaitForExitAsync(TimeSpan.FromSeconds(30))).Should().Be(1);
            missing.Output.Should().Contain("error: cannot read the Kubernetes connection from " + temp.Combine("nope"));
        }

        await using var badPort = OperatorProcess.StartRaw(["run", "--data-dir", temp.Combine("data"), "--health-port", "70000"]);
        (await badPort.WaitForExitAsync(TimeSpan.FromSeconds(30))).Should().Be(1);
        badPort.Output.Should().Contain("Operator:HealthPort (--health-port) must be between 1 and 65535");
    }

    [Test]
    public async Task Run_OnAnIpv6Address_ServesHealthThere()
    {
        await using var bed = await OperatorTestbed.StartAsync();
        var health = LoopbackPorts.Free();
        await using var process = OperatorProcess.StartRaw(
            ["run", "--kubeconfig", bed.KubeconfigPath, "--data-dir", bed.DataDirectory, "--listen-address", "::1",
                "--health-port", health.ToString(System.Globalization.CultureInfo.InvariantCulture),
                "--metrics-port", LoopbackPorts.Free().ToString(System.Globalization.CultureInfo.InvariantCulture)]);

        using var client = new HttpClient();
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            try
            {
                (await client.GetStringAsync($"http://[::1]:{health}/healthz")).Should().Be("ok\n");
                break;
            }
            catch (HttpRequestException) when (DateTime.UtcNow < deadline && !process.HasExited)
            {
                await Task.Delay(100);
            }
        }

        process.Output.Should().Contain($"Now listening on: http://[::1]:{health}");
    }

    [Test]
    public async Task Run_PortInUse_ExitsWithAClearError()
    {
        await using var bed = await OperatorTestbed.StartAsync();
        using var occupied = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        occupied.Start();
        var port = ((System.Net.IPEndPoint)occupied.LocalEndpoint).Port.ToString(System.Globalization.CultureInfo.InvariantCulture);

        await using var process = OperatorProcess.StartRaw(
            ["run", "--kubeconfig", bed.KubeconfigPath, "--data-dir", bed.DataDirectory, "--listen-address", "127.0.0.1", "--health-port", port,
                "--metrics-port", LoopbackPorts.Free().ToString(System.Globalization.CultureInfo.InvariantCulture)]);

        (await process.WaitForExitAsync(TimeSpan.FromSeconds(30))).Should().Be(1);
        process.Output.Should().Contain($"error: cannot listen for health or metrics requests: Failed to bind to address http://127.0.0.1:{port}: address already in use.");
    }

    [Test]
    public async Task Probes_AndMetrics_ReportReadinessAndEveryWatchInstrument()
    {
        await using var bed = await OperatorTestbed.StartAsync();
        (await bed.ApplyAsync(bed.RepoConfig())).ShouldSucceed();
        (await bed.ApplyAsync("""
            apiVersion: configbutler.ai/v1alpha1
            kind: WatchRule
            metadata: {name: configs, namespace: gitops-reverser-system}
            spec: {gitRepoConfigRef: audit, resources: [{apiVersion: v1, kind: ConfigMap}]}
            """)).ShouldSucceed();
        await bed.StartOperatorAsync();
        var process = bed.Operator!;
        (await process.GetAsync(process.HealthPort, "/healthz")).Should().Be((200, "ok\n"));
        (await process.GetAsync(process.HealthPort, "/readyz")).Should().Be((200, "ready\n"));

        (await bed.KubectlAsync("create configmap counted --from-literal=a=b")).ShouldSucceed();
        await bed.CommitAsync(2);

        // A change the stalled watches miss, history compacted past it, every watch dropped: each
        // reflector resumes from a resourceVersion that is gone (410) and relists.
        bed.Sim.Faults.StallWatches(true);
        (await bed.KubectlAsync("create configmap missed --from-literal=a=b")).ShouldSucceed();
        bed.Sim.Faults.Compact();
        bed.Sim.Faults.CloseWatches();
        bed.Sim.Faults.StallWatches(false);
        await bed.CommitAsync(3);
        bed.Sim.Faults.CloseWatches();
        var deadline = DateTime.UtcNow.AddSeconds(30);
        string metrics;
        do
        {
            await Task.Delay(200);
            metrics = (await process.GetAsync(process.MetricsPort, "/metrics")).Body;
        }
        while (!metrics.Contains("gitops_reverser_watch_restarts_total", StringComparison.Ordinal) && DateTime.UtcNow < deadline);

        Value(metrics, "gitops_reverser_events_received_total", "kind=\"ConfigMap\"").Should().BeGreaterThanOrEqualTo(1);
        Value(metrics, "gitops_reverser_events_processed_total", "kind=\"ConfigMap\",outcome=\"committed\"").Should().Be(2);
        Value(metrics, "gitops_reverser_events_processed_total", "kind=\"ConfigMap\",outcome=\"unchanged\"").Should().BeGreaterThanOrEqualTo(1,
            "the relist saw counted again, unchanged");
        Value(metrics, "gitops_reverser_watch_restarts_total", "resource=\"configmaps\"").Should().BeGreaterThanOrEqualTo(1);
        Value(metrics, "gitops_reverser_watch_relists_total", "resource=\"configmaps\"").Should().BeGreaterThanOrEqualTo(1,
            "the dropped watch resumed from a compacted resourceVersion and had to relist");
        Value(metrics, "gitops_reverser_git_commits_total", "").Should().BeGreaterThanOrEqualTo(1);
        metrics.Should().Contain("gitops_reverser_git_push_duration_seconds_bucket{").And.Contain("le=\"0.25\"");
    }

    // The value of the first sample of metric whose labels contain labels.
    private static double Value(string metrics, string metric, string labels)
    {
        foreach (Match match in Sample().Matches(metrics))
        {
            if (match.Groups["name"].Value == metric && match.Groups["labels"].Value.Contains(labels, StringComparison.Ordinal))
            {
                return double.Parse(match.Groups["value"].Value, System.Globalization.CultureInfo.InvariantCulture);
            }
        }

        Assert.Fail($"no sample of {metric} with {labels} in:\n{metrics}");
        return 0;
    }

    [GeneratedRegex(@"^(?<name>[a-z_]+)\{(?<labels>[^}]*)\} (?<value>[0-9.e+-]+)", RegexOptions.Multiline)]
    private static partial Regex Sample();
}
