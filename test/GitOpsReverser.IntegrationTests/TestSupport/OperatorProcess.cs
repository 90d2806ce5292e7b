using System.Diagnostics;
using System.Text;

namespace GitOpsReverser.IntegrationTests.TestSupport;

/// <summary>
/// <c>gitops-reverser run</c> as a real process: the published operator (<c>eng/publish.sh</c>, what the
/// image holds), bound to 127.0.0.1 on free ports, its output kept for failure messages. Stopped with
/// SIGTERM (graceful) or SIGKILL, always by its process id.
/// </summary>
internal sealed class OperatorProcess : IAsyncDisposable
{
    private readonly Process process;
    private readonly StringBuilder output = new();
    private int disposed;

    private OperatorProcess(Process process, int healthPort, int metricsPort, string address)
    {
        Address = address;
        this.process = process;
        HealthPort = healthPort;
        MetricsPort = metricsPort;
        process.OutputDataReceived += (_, line) => Append(line.Data);
        process.ErrorDataReceived += (_, line) => Append(line.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public int HealthPort { get; }

    /// <summary>Where its endpoints are reached: 127.0.0.1, or a pod's address.</summary>
    public string Address { get; }

    public int MetricsPort { get; }

    public string Output
    {
        get
        {
            lock (output)
            {
                return output.ToString();
            }
        }
    }

    public bool HasExited => process.HasExited;

    /// <summary>The operator's process id (wrappers such as <see cref="Kubelet"/>'s exec into it).</summary>
    public int Id => process.Id;

    public int ExitCode => process.ExitCode;

    /// <summary>The published operator, as <c>./build.sh --target=Test</c> (or <c>--target=Publish</c>) leaves it.</summary>
    public static string PublishedDll
    {
        get
        {
            var path = Path.Combine(Kubectl.RepositoryRoot, "artifacts", "publish", "gitops-reverser", "gitops-reverser.dll");
            return File.Exists(path) ? path : throw new FileNotFoundException($"{path} is missing: run ./build.sh --target=Publish (the test target does)");
        }
    }

    /// <summary>Starts <c>gitops-reverser</c> with <paramref name="arguments"/> and nothing else.</summary>
    public static OperatorProcess StartRaw(IEnumerable<string> arguments, IDictionary<string, string>? environment = null, int healthPort = 0, int metricsPort = 0) =>
        Start(new ProcessStartInfo("dotnet") { ArgumentList = { PublishedDll } }, arguments, environment, healthPort, metricsPort);

    /// <summary>Starts <paramref name="start"/> (the published operator, possibly wrapped) with <paramref name="arguments"/> appended.</summary>
    public static OperatorProcess Start(
        ProcessStartInfo start, IEnumerable<string> arguments, IDictionary<string, string>? environment, int healthPort, int metricsPort,
        string address = "127.0.0.1")
    {
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        start.UseShellExecute = false;
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[key] = value;
        }

        return new OperatorProcess(Process.Start(start)!, healthPort, metricsPort, address);
    }

    /// <summary>Runs the operator against <paramref name="kubeconfig"/>, accepting local repositories.</summary>
    public static OperatorProcess Start(string kubeconfig, string dataDirectory, string ns, IDictionary<string, string>? settings = null)
    {
        var health = LoopbackPorts.Free();
        var metrics = LoopbackPorts.Free();
        var environment = new Dictionary<string, string> { ["GITOPS_REVERSER_Operator__StatusInterval"] = "00:00:02" };
        foreach (var (key, value) in settings ?? new Dictionary<string, string>())
        {
            environment[key] = value;
        }

        return StartRaw(
            [
                "run", "--kubeconfig", kubeconfig, "--data-dir", dataDirectory, "--namespace", ns,
                "--health-port", health.ToString(System.Globalization.CultureInfo.InvariantCulture),
                "--metrics-port", metrics.ToString(System.Globalization.CultureInfo.InvariantCulture),
                "--listen-address", "127.0.0.1", "--allow-local-repositories",
            ],
            environment,
            health,
            metrics);
    }

    /// <summary>Sends a signal (SIGSTOP, SIGCONT) to the process.</summary>
    public void Signal(string signal)
    {
        using var kill = Process.Start("kill", [$"-{signal}", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        kill.WaitForExit();
    }

    /// <summary>GETs a path of the health or metrics endpoint; (0, "") while nothing listens.</summary>
    public async Task<(int Code, string Body)> GetAsync(int port, string path)
    {
        using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        try
        {
            using var response = await client.GetAsync($"http://{Address}:{port}{path}");
            return ((int)response.StatusCode, await response.Content.ReadAsStringAsync());
        }
        catch (HttpRequestException)
        {
            return (0, "");
        }
    }

    /// <summary>Waits until <c>/readyz</c> answers 200: the rules are read and every repository synced.</summary>
    public async Task WaitReadyAsync()
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while ((await GetAsync(HealthPort, "/readyz")).Code != 200)
        {
            if (DateTime.UtcNow > deadline || process.HasExited)
            {
                Assert.Fail($"the operator never became ready; output:\n{Output}");
            }

            await Task.Delay(100);
        }
    }

    /// <summary>Waits for the process to end by itself; returns its exit code.</summary>
    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        using var cancel = new CancellationTokenSource(timeout);
        await process.WaitForExitAsync(cancel.Token);
        return process.ExitCode;
    }

    /// <summary>SIGTERM, then waits for a graceful exit.</summary>
    public async Task StopAsync()
    {
        if (process.HasExited)
        {
            return;
        }

        using (var kill = Process.Start("kill", ["-TERM", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
        {
            await kill.WaitForExitAsync();
        }

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await process.WaitForExitAsync(timeout.Token);
    }

    /// <summary>SIGKILL: no shutdown code runs.</summary>
    public void Kill()
    {
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit();
        }
    }

    /// <summary>Stops the process (SIGTERM, then SIGKILL after 30 s); a second call does nothing.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref disposed, 1) == 1)
        {
            return;
        }

        try
        {
            await StopAsync();
        }
        catch (OperationCanceledException)
        {
            Kill();
        }

        process.Dispose();
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (output)
        {
            output.AppendLine(line);
        }
    }
}
