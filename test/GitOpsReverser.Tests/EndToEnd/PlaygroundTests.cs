using System.Diagnostics;
using System.Text;

namespace GitOpsReverser.Tests.EndToEnd;

/// <summary>
/// The playground as <c>./build.sh --target=Playground</c> runs it (the published playground, which starts
/// KubeSim, a bare repository and the published operator): what it prints, a change made with kubectl
/// printed and in git log, two playgrounds side by side, and nothing left running after SIGINT or SIGTERM.
/// </summary>
[Category("Integration")]
public sealed class PlaygroundTests
{
    private static readonly string PublishedPlayground =
        Path.Combine(Kubectl.RepositoryRoot, "artifacts", "publish", "playground", "gitops-reverser-playground.dll");

    [Test]
    public async Task Defaults_PrintTheSetupAndEveryCommit_AndSigintStopsEverything()
    {
        using var temp = new TempDirectory();
        await using var playground = RunningPlayground.Start(temp.Path);

        var lines = await playground.WaitForLineAsync(line => line.StartsWith("Commits as they reach the repository", StringComparison.Ordinal));
        var directory = Path.Combine(temp.Path, "artifacts", "playground");
        lines.Should().Contain($"export KUBECONFIG={Path.Combine(directory, "kubeconfig")}")
            .And.Contain($"Repository: {Path.Combine(directory, "audit.git")}")
            .And.Contain($"Kubectl: {Kubectl.Installed}")
            .And.Contain("  kubectl edit configmap app-config -n production")
            .And.Contain("  kubectl get watchrules -A")
            .And.Contain($"  git -C {Path.Combine(directory, "audit.git")} log --stat");
        (await playground.WaitForLineAsync(line => line.StartsWith("[RESYNC] ", StringComparison.Ordinal))).Should().NotBeEmpty();

        var kubectl = new Kubectl(Kubectl.Installed, Path.Combine(directory, "kubeconfig"), temp.Combine("kubectl-cache"));
        (await kubectl.RunAsync("create configmap hello -n staging --from-literal=greeting=hi")).ShouldSucceed();
        const string Subject = "[CREATE] ConfigMap/hello in ns/staging by user/kubectl-create";
        await playground.WaitForLineAsync(line => line == Subject);
        GitCli.Log(Path.Combine(directory, "audit.git")).Should().Contain(Subject);
        var rules = (await kubectl.RunAsync("get watchrules -A")).ShouldSucceed().Output;
        rules.Should().Contain("audited-configmaps").And.Contain("production-everything").And.Contain("Capturing");

        (await playground.StopAsync("INT")).Should().Be(0, playground.Output);
        playground.Output.Should().EndWith("Playground stopped.\n");
        ProcessesMentioning(directory).Should().BeEmpty("the operator and everything else the playground started stop with it");
        File.Exists(Path.Combine(directory, "playground.pid")).Should().BeFalse();
    }

    [Test]
    public async Task TwoPlaygrounds_SideBySide_WithDirAndPort_AndSigtermStopsEach()
    {
        using var temp = new TempDirectory();
        var (first, second) = (temp.Combine("first"), temp.Combine("second"));
        var port = LoopbackPorts.Free();
        await using var one = RunningPlayground.Start(temp.Path, "--dir", first);
        await using var two = RunningPlayground.Start(temp.Path, "--dir", second, "--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture));
        await one.WaitForLineAsync(line => line.StartsWith("[RESYNC] ", StringComparison.Ordinal));
        await two.WaitForLineAsync(line => line.StartsWith("[RESYNC] ", StringComparison.Ordinal));
        (await File.ReadAllTextAsync(Path.Combine(second, "kubeconfig"))).Should().Contain($"https://127.0.0.1:{port}");

        // A third in the first one's folder is refused, and harms neither.
        await using (var three = RunningPlayground.Start(temp.Path, "--dir", first))
        {
            (await three.WaitForExitAsync()).Should().Be(1);
            three.Error.Should().Contain($"a playground already runs in {first}");
        }

        var kubectl = new Kubectl(Kubectl.Installed, Path.Combine(first, "kubeconfig"), temp.Combine("kubectl-cache"));
        (await kubectl.RunAsync("create configmap only-in-first -n production --from-literal=a=b")).ShouldSucceed();
        await one.WaitForLineAsync(line => line == "[CREATE] ConfigMap/only-in-first in ns/production by user/kubectl-create");
        two.Output.Should().NotContain("only-in-first");

        (await one.StopAsync("TERM")).Should().Be(0, one.Output);
        (await two.StopAsync("TERM")).Should().Be(0, two.Output);
        ProcessesMentioning(first).Should().BeEmpty();
        ProcessesMentioning(second).Should().BeEmpty();
    }

    // Every process whose command line names the folder: the operator names its kubeconfig and data there.
    private static List<string> ProcessesMentioning(string directory) =>
        [.. Directory.GetDirectories("/proc").Select(process => Path.Combine(process, "cmdline")).Where(File.Exists)
            .Select(path =>
            {
                try
                {
                    return File.ReadAllText(path).Replace('\0', ' ');
                }
                catch (IOException)
                {
                    return "";
                }
            })
            .Where(commandLine => commandLine.Contains(directory, StringComparison.Ordinal))];

    private sealed class RunningPlayground : IAsyncDisposable
    {
        private readonly Process process;
        private readonly StringBuilder output = new();
        private readonly StringBuilder error = new();

        private RunningPlayground(Process process)
        {
            this.process = process;
            process.OutputDataReceived += (_, line) => Append(output, line.Data);
            process.ErrorDataReceived += (_, line) => Append(error, line.Data);
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
        }

        public string Output => Read(output);

        public string Error => Read(error);

        /// <summary>
        /// Starts the playground in <paramref name="workingDirectory"/>. SIGINT is set to its default first, as in
        /// a terminal: a shell that started the test run in the background would otherwise pass on its "ignore".
        /// </summary>
        public static RunningPlayground Start(string workingDirectory, params string[] arguments)
        {
            var start = new ProcessStartInfo("env")
            {
                WorkingDirectory = workingDirectory,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            };
            foreach (var argument in new[] { "--default-signal=INT", "dotnet", PublishedPlayground }.Concat(arguments))
            {
                start.ArgumentList.Add(argument);
            }

            return new RunningPlayground(Process.Start(start)!);
        }

        /// <summary>The output's lines once one satisfies <paramref name="condition"/> (fails after two minutes).</summary>
        public async Task<List<string>> WaitForLineAsync(Func<string, bool> condition)
        {
            var deadline = DateTime.UtcNow.AddMinutes(2);
            while (true)
            {
                var lines = Output.Split('\n').ToList();
                if (lines.Any(condition))
                {
                    return lines;
                }

                if (process.HasExited || DateTime.UtcNow > deadline)
                {
                    Assert.Fail($"the playground never printed the line expected; output:\n{Output}\nerrors:\n{Error}");
                }

                await Task.Delay(100);
            }
        }

        public async Task<int> WaitForExitAsync()
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            await process.WaitForExitAsync(timeout.Token);
            return process.ExitCode;
        }

        public async Task<int> StopAsync(string signal)
        {
            using (var kill = Process.Start("kill", [$"-{signal}", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
            {
                await kill.WaitForExitAsync();
            }

            return await WaitForExitAsync();
        }

        public async ValueTask DisposeAsync()
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
                await process.WaitForExitAsync();
            }

            process.Dispose();
        }

        private static void Append(StringBuilder builder, string? line)
        {
            if (line is not null)
            {
                lock (builder)
                {
                    builder.Append(line).Append('\n');
                }
            }
        }

        private static string Read(StringBuilder builder)
        {
            lock (builder)
            {
                return builder.ToString();
            }
        }
    }
}
