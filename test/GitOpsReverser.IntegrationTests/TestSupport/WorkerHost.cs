using System.Diagnostics;

namespace GitOpsReverser.IntegrationTests.TestSupport;

/// <summary>A RepoWorker in a process of its own (GitOpsReverser.GitWorkerHost): to kill it, or to give it an environment of its own.</summary>
internal static class WorkerHost
{
    /// <summary>Starts the host on <paramref name="data"/> and <paramref name="remote"/>, with <paramref name="environment"/> added to its environment.</summary>
    public static Process Start(string data, string remote, IReadOnlyDictionary<string, string>? environment = null)
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
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
        }

        return Process.Start(start)!;
    }

    /// <summary>Reads the host's output until a line is <paramref name="wanted"/> (fails the test after 60 s or if the host ends).</summary>
    public static async Task ReadUntilAsync(Process process, Func<string, bool> wanted)
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
