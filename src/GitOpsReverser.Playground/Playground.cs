using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using GitOpsReverser.KubeSim.Hosting;

namespace GitOpsReverser.Playground;

/// <summary>A problem that stops the playground, said in one line.</summary>
internal sealed class PlaygroundException(string message) : Exception(message);

/// <summary>
/// One playground in <c>directory</c>: its pid file keeps a second one out of the same folder, and
/// everything it starts stops with it.
/// </summary>
internal sealed partial class Playground(string directory, int port, TextWriter output)
{
    private const string OperatorNamespace = "gitops-reverser-system";
    private static readonly string Bundled = AppContext.BaseDirectory;

    private const string User = "admin@playground.local";

    private string Kubeconfig => Path.Combine(directory, "kubeconfig");

    private string OperatorKubeconfig => Path.Combine(directory, "operator-kubeconfig");

    private string UsersFile => Path.Combine(directory, "users.yaml");

    private string Repository => Path.Combine(directory, "audit.git");

    private string DataDirectory => Path.Combine(directory, "operator-data");

    private string OperatorLog => Path.Combine(directory, "operator.log");

    private string PidFile => Path.Combine(directory, "playground.pid");

    public async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        var operatorDll = Path.GetFullPath(Path.Combine(Bundled, "..", "gitops-reverser", "gitops-reverser.dll"));
        if (!File.Exists(operatorDll))
        {
            throw new PlaygroundException($"the published operator is not at {operatorDll}: run ./build.sh --target=Playground");
        }

        var kubectl = FindKubectl();
        Directory.CreateDirectory(directory);
        ClaimDirectory();
        try
        {
            return await RunClaimedAsync(operatorDll, kubectl, cancellationToken);
        }
        finally
        {
            File.Delete(PidFile);
        }
    }

    private async Task<int> RunClaimedAsync(string operatorDll, string kubectl, CancellationToken cancellationToken)
    {
        // A fresh start: the simulated cluster keeps nothing across runs, so neither does the repository.
        foreach (var stale in new[] { Repository, DataDirectory })
        {
            if (Directory.Exists(stale))
            {
                Directory.Delete(stale, recursive: true);
            }
        }

        // Two identities: yours (the kubeconfig printed), and the operator's, so that the attribution
        // webhook tells your changes from the operator's own writes.
        var (yourToken, operatorToken) = (Convert.ToHexString(RandomNumberGenerator.GetBytes(16)), Convert.ToHexString(RandomNumberGenerator.GetBytes(16)));
        await File.WriteAllTextAsync(UsersFile, $$"""
            users:
              - {name: {{User}}, token: {{yourToken}}, groups: [system:masters]}
              - {name: gitops-reverser, token: {{operatorToken}}, groups: [system:masters]}
            """, cancellationToken);
        KubeSimServer sim;
        try
        {
            sim = await KubeSimServer.StartAsync(new KubeSimOptions { Port = port, UsersFile = UsersFile }, cancellationToken);
        }
        catch (IOException error)
        {
            throw new PlaygroundException($"cannot listen on 127.0.0.1:{port}: {error.Message} (--port picks another port)");
        }

        await using (sim)
        {
            await File.WriteAllTextAsync(Kubeconfig, sim.Kubeconfig(yourToken), cancellationToken);
            await File.WriteAllTextAsync(OperatorKubeconfig, sim.Kubeconfig(operatorToken), cancellationToken);
            await RunAsync("git", ["init", "--quiet", "--bare", "--initial-branch=main", Repository], cancellationToken);
            await KubectlAsync(kubectl, ["apply", "-f", Path.Combine(Bundled, "crds")], null, cancellationToken);
            await KubectlAsync(kubectl, ["create", "namespace", OperatorNamespace], null, cancellationToken);
            await KubectlAsync(kubectl, ["apply", "-f", "-"], $$"""
                apiVersion: configbutler.ai/v1alpha1
                kind: GitRepoConfig
                metadata: {name: audit, namespace: {{OperatorNamespace}}}
                spec:
                  url: {{Repository}}
                """, cancellationToken);
            await KubectlAsync(kubectl, ["apply", "-f", Path.Combine(Bundled, "sample-cluster.yaml")], null, cancellationToken);
            await KubectlAsync(kubectl, ["apply", "-f", Path.Combine(Bundled, "examples")], null, cancellationToken);
            return await RunOperatorAsync(operatorDll, kubectl, cancellationToken);
        }
    }

    private async Task<int> RunOperatorAsync(string operatorDll, string kubectl, CancellationToken cancellationToken)
    {
        var (health, metrics, webhook) = (FreePort(), FreePort(), FreePort());
        var start = new ProcessStartInfo("dotnet")
        {
            ArgumentList =
            {
                operatorDll, "run", "--kubeconfig", OperatorKubeconfig, "--data-dir", DataDirectory, "--namespace", OperatorNamespace,
                // What a laptop needs: a local repository, ports of its own beside other playgrounds, and the
                // attribution webhook where KubeSim calls it.
                "--allow-local-repositories", "--listen-address", "127.0.0.1",
                "--health-port", health.ToString(CultureInfo.InvariantCulture), "--metrics-port", metrics.ToString(CultureInfo.InvariantCulture),
                "--webhook-url", $"https://127.0.0.1:{webhook}", "--webhook-port", webhook.ToString(CultureInfo.InvariantCulture),
            },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var log = new StreamWriter(OperatorLog, append: false) { AutoFlush = true };
        using var process = Process.Start(start) ?? throw new PlaygroundException("cannot start the operator");
        process.OutputDataReceived += (_, line) => Log(log, line.Data);
        process.ErrorDataReceived += (_, line) => Log(log, line.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            await WaitReadyAsync(process, health, cancellationToken);
            await output.WriteLineAsync($"""

                export KUBECONFIG={Kubeconfig}
                Repository: {Repository}
                Kubectl: {kubectl}
                Operator: metrics on http://127.0.0.1:{metrics}/metrics, log in {OperatorLog}

                Try:
                  kubectl edit configmap app-config -n production
                  kubectl get watchrules -A
                  git -C {Repository} log --stat

                Commits as they reach the repository (Ctrl+C stops the playground):
                """);
            await FollowCommitsAsync(process, cancellationToken);
            return 0;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return 0;
        }
        finally
        {
            await StopAsync(process);
            await output.WriteLineAsync("Playground stopped.");
        }
    }

    private async Task WaitReadyAsync(Process process, int health, CancellationToken cancellationToken)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var deadline = DateTime.UtcNow.AddMinutes(1);
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (process.HasExited)
            {
                throw new PlaygroundException($"the operator stopped (exit code {process.ExitCode}); its log: {OperatorLog}");
            }

            try
            {
                using var response = await http.GetAsync($"http://127.0.0.1:{health}/readyz", cancellationToken);
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }
            catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                // A slow answer: ask again.
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new PlaygroundException($"the operator was not ready within a minute; its log: {OperatorLog}");
            }

            await Task.Delay(250, cancellationToken);
        }
    }

    // Prints the subject of every commit that reaches the repository, oldest first.
    private async Task FollowCommitsAsync(Process process, CancellationToken cancellationToken)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        while (true)
        {
            var log = await RunAsync("git", ["-C", Repository, "log", "--reverse", "--format=%H %s", "main", "--"], cancellationToken, allowFailure: true);
            foreach (var line in log.Split('\n', StringSplitOptions.RemoveEmptyEntries))
            {
                if (seen.Add(line[..40]))
                {
                    await output.WriteLineAsync(line[41..]);
                }
            }

            if (process.HasExited)
            {
                throw new PlaygroundException($"the operator stopped (exit code {process.ExitCode}); its log: {OperatorLog}");
            }

            await Task.Delay(300, cancellationToken);
        }
    }

    private void ClaimDirectory()
    {
        if (File.Exists(PidFile) && int.TryParse(File.ReadAllText(PidFile).Trim(), CultureInfo.InvariantCulture, out var other)
            && other != Environment.ProcessId && Directory.Exists($"/proc/{other}"))
        {
            throw new PlaygroundException($"a playground already runs in {directory} (process {other}): stop it, or start another with --dir");
        }

        File.WriteAllText(PidFile, Environment.ProcessId.ToString(CultureInfo.InvariantCulture));
    }
}
