using System.Diagnostics;

namespace GitOpsReverser.Tests.Git;

/// <summary>A worker process killed (SIGKILL) with unpushed commits: the next process pushes them, once each.</summary>
[Category("Integration")]
public sealed class RepoWorkerCrashTests
{
    [Test]
    public async Task Killed_WithUnpushedCommits_TheNextProcessPushesThemOnce()
    {
        using var temp = new TempDirectory();
        var remote = GitCli.InitBare(temp.Combine("remote.git"));
        var away = remote + ".away";
        var data = temp.Combine("data");
        Directory.Move(remote, away);

        using (var first = Host(data, remote))
        {
            for (var i = 0; i < 5; i++)
            {
                await first.StandardInput.WriteLineAsync($"put namespaces/prod/ConfigMap/cm-{i}.yaml value-{i}");
            }

            await first.StandardInput.FlushAsync();
            await ReadUntilAsync(first, line => line == "status 5 0");
            first.Kill();
            await first.WaitForExitAsync();
        }

        Directory.Move(away, remote);
        using (var second = Host(data, remote))
        {
            await ReadUntilAsync(second, line => line == "pushed");
            second.Kill();
            await second.WaitForExitAsync();
        }

        GitCli.Log(remote).Should().Equal(Enumerable.Range(0, 5).Reverse().Select(i => $"[UPDATE] ConfigMap/cm-{i} in ns/prod by user/alice"));
        GitCli.Files(remote).Should().HaveCount(5);
    }

    private static Process Host(string data, string remote)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "GitOpsReverser.GitWorkerHost.dll"));
        start.ArgumentList.Add(data);
        start.ArgumentList.Add(remote);
        return Process.Start(start)!;
    }

    private static async Task ReadUntilAsync(Process process, Func<string, bool> wanted)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        string? last = null;
        while (true)
        {
            string? line;
            try
            {
                line = await process.StandardOutput.ReadLineAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                Assert.Fail($"the worker process never reported what was awaited; last line: {last}; stderr: {await process.StandardError.ReadToEndAsync()}");
                return;
            }

            if (line is null)
            {
                Assert.Fail($"the worker process ended early; stderr: {await process.StandardError.ReadToEndAsync()}");
            }

            if (wanted(line!))
            {
                return;
            }

            last = line;
        }
    }
}
