using System.Diagnostics;

namespace GitOpsReverser.KubeSim.Tests.Hosting;

/// <summary>The kubesim program as users run it: one line on start, a working kubeconfig, a clean stop on SIGTERM.</summary>
[Category("Integration")]
public sealed class KubeSimProcessTests
{
    [Test]
    public async Task Program_PrintsItsAddress_WritesAKubeconfig_AndStopsOnSigterm()
    {
        var directory = Directory.CreateTempSubdirectory("kubesim-process-").FullName;
        var kubeconfig = Path.Combine(directory, "kubeconfig");
        var dll = Path.Combine(AppContext.BaseDirectory, "kubesim.dll");
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in new[] { dll, "--port", "0", "--kubeconfig", kubeconfig })
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        try
        {
            var line = await process.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(30));
            line.Should().MatchRegex(@"^KubeSim listening on https://127\.0\.0\.1:\d+$");
            var kubeconfigText = await File.ReadAllTextAsync(kubeconfig);
            kubeconfigText.Should().Contain("certificate-authority-data:").And.Contain("token:").And.Contain(line!["KubeSim listening on ".Length..]);

            var kubectl = new TestServers.Kubectl(TestServers.Kubectl.Installed, kubeconfig, Path.Combine(directory, "cache"));
            (await kubectl.RunAsync("get namespace kube-system -o name")).ShouldSucceed().Output.Trim().Should().Be("namespace/kube-system");
        }
        finally
        {
            using (var kill = Process.Start("kill", ["-TERM", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
            {
                await kill.WaitForExitAsync();
            }

            await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(20));
            Directory.Delete(directory, recursive: true);
        }

        process.ExitCode.Should().Be(0);
    }

    [Test]
    public async Task Program_WithoutKubeconfig_ExitsWithUsageError()
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "kubesim.dll"));
        using var process = Process.Start(start)!;
        var error = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();

        process.ExitCode.Should().Be(2);
        error.Should().Contain("--kubeconfig FILE is required");
    }
}
