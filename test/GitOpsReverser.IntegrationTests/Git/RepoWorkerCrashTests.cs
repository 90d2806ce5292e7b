using GitOpsReverser.IntegrationTests.TestSupport;

namespace GitOpsReverser.IntegrationTests.Git;

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

        using (var first = WorkerHost.Start(data, remote))
        {
            for (var i = 0; i < 5; i++)
            {
                await first.StandardInput.WriteLineAsync($"put namespaces/prod/ConfigMap/cm-{i}.yaml value-{i}");
            }

            await first.StandardInput.FlushAsync();
            await WorkerHost.ReadUntilAsync(first, line => line == "status 5 0");
            first.Kill();
            await first.WaitForExitAsync();
        }

        Directory.Move(away, remote);
        using (var second = WorkerHost.Start(data, remote))
        {
            await WorkerHost.ReadUntilAsync(second, line => line == "pushed");
            second.Kill();
            await second.WaitForExitAsync();
        }

        GitCli.Log(remote).Should().Equal(Enumerable.Range(0, 5).Reverse().Select(i => $"[UPDATE] ConfigMap/cm-{i} in ns/prod by user/alice"));
        GitCli.Files(remote).Should().HaveCount(5);
    }
}
