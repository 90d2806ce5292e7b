using System.Diagnostics;

namespace GitOpsReverser.IntegrationTests.EndToEnd;

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
        using var playground = StartPlayground(temp.Path);

        var lines = await WaitForLineAsync(playground, line => line.StartsWith("Commits as they reach the repository", StringComparison.Ordinal));
        var directory = Path.Combine(temp.Path, "artifacts", "playground");
        lines.Should().Contain($"export KUBECONFIG={Path.Combine(directory, "kubeconfig")}")
            .And.Contain($"Repository: {Path.Combine(directory, "audit.git")}")
            .And.Contain($"Kubectl: {Kubectl.Installed}")
            .And.Contain("  kubectl edit configmap app-config -n production")
            .And.Contain("  kubectl get watchrules -A")
            .And.Contain($"  git -C {Path.Combine(directory, "audit.git")} log --stat");
        // The sample objects arrive with the first sync, each its own commit (a start's few changes are).
        (await WaitForLineAsync(playground, line => line.StartsWith("[CREATE] ConfigMap/app-config in ns/production by manager/", StringComparison.Ordinal)))
            .Should().NotBeEmpty();

        var kubectl = new Kubectl(Kubectl.Installed, Path.Combine(directory, "kubeconfig"), temp.Combine("kubectl-cache"));
        (await kubectl.RunAsync("create configmap hello -n staging --from-literal=greeting=hi")).ShouldSucceed();
        const string Subject = "[CREATE] ConfigMap/hello in ns/staging by user/admin@playground.local";
        await WaitForLineAsync(playground, line => line == Subject);
        GitCli.Log(Path.Combine(directory, "audit.git")).Should().Contain(Subject);
        var rules = (await kubectl.RunAsync("get watchrules -A")).ShouldSucceed().Output;
        rules.Should().Contain("audited-configmaps").And.Contain("production-everything").And.Contain("Capturing");

        (await playground.SignalAsync("INT")).Should().Be(0, playground.Output);
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
        using var one = StartPlayground(temp.Path, "--dir", first);
        using var two = StartPlayground(temp.Path, "--dir", second, "--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture));
        await WaitForLineAsync(one, line => line.StartsWith("[CREATE] ConfigMap/app-config in ns/production", StringComparison.Ordinal));
        await WaitForLineAsync(two, line => line.StartsWith("[CREATE] ConfigMap/app-config in ns/production", StringComparison.Ordinal));
        (await File.ReadAllTextAsync(Path.Combine(second, "kubeconfig"))).Should().Contain($"https://127.0.0.1:{port}");

        // A third in the first one's folder is refused, and harms neither.
        using (var three = StartPlayground(temp.Path, "--dir", first))
        {
            (await three.WaitForExitAsync()).Should().Be(1);
            three.Error.Should().Contain($"a playground already runs in {first}");
        }

        var kubectl = new Kubectl(Kubectl.Installed, Path.Combine(first, "kubeconfig"), temp.Combine("kubectl-cache"));
        (await kubectl.RunAsync("create configmap only-in-first -n production --from-literal=a=b")).ShouldSucceed();
        await WaitForLineAsync(one, line => line == "[CREATE] ConfigMap/only-in-first in ns/production by user/admin@playground.local");
        two.Output.Should().NotContain("only-in-first");

        (await one.SignalAsync("TERM")).Should().Be(0, one.Output);
        (await two.SignalAsync("TERM")).Should().Be(0, two.Output);
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

    /// <summary>
    /// Starts the playground in <paramref name="workingDirectory"/>. SIGINT is set to its default first, as in
    /// a terminal: a shell that started the test run in the background would otherwise pass on its "ignore".
    /// </summary>
    private static RunningProcess StartPlayground(string workingDirectory, params string[] arguments)
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

        return new RunningProcess(Process.Start(start)!);
    }

    // Waits (two minutes at most: the playground starts KubeSim and the operator) for a line; returns every line.
    private static async Task<List<string>> WaitForLineAsync(RunningProcess playground, Func<string, bool> condition)
    {
        await playground.WaitForAsync(output => output.Split('\n').Any(condition), "the line expected", seconds: 120);
        return [.. playground.Output.Split('\n')];
    }
}
