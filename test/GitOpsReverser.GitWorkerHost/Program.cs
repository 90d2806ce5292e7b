using System.Diagnostics.Metrics;
using GitOpsReverser.Git;
using GitOpsReverser.Git.Pipeline;
using GitOpsReverser.Git.Transport;
using GitOpsReverser.Manifests;
using Microsoft.Extensions.Logging.Abstractions;

// A RepoWorker in a process of its own, so tests can kill it (SIGKILL) with commits not yet pushed.
//   GitWorkerHost DATA_DIR REMOTE_URL
// Reads "put PATH CONTENT" lines from standard input; after each line prints "status <pending> <queued>";
// prints "status …" every 100 ms too, and "pushed" when nothing is pending. GIT_WORKER_USERNAME,
// GIT_WORKER_PASSWORD and GIT_WORKER_CA_FILE (a path) give the remote's credentials; the process's own
// environment (HTTPS_PROXY) is what libgit2 reads.
if (args.Length != 2)
{
    Console.Error.WriteLine("usage: GitWorkerHost DATA_DIR REMOTE_URL");
    return 2;
}

using var meters = new NoMeters();
using var worker = new RepoWorker(
    new RepoWorkerOptions
    {
        Id = "host",
        Url = args[1],
        DataDirectory = args[0],
        PushQuietWindow = TimeSpan.FromMilliseconds(100),
        PermanentFailureRetry = TimeSpan.FromMilliseconds(300),
        Credentials = new GitCredentials
        {
            Username = Environment.GetEnvironmentVariable("GIT_WORKER_USERNAME"),
            Password = Environment.GetEnvironmentVariable("GIT_WORKER_PASSWORD"),
            CaPem = Environment.GetEnvironmentVariable("GIT_WORKER_CA_FILE") is { Length: > 0 } ca ? File.ReadAllText(ca) : null,
        },
    },
    TimeProvider.System,
    new GitMetrics(meters),
    NullLogger<RepoWorker>.Instance);
using var stop = new CancellationTokenSource();
var run = worker.RunAsync(stop.Token);
var report = Task.Run(async () =>
{
    while (!stop.IsCancellationRequested)
    {
        var status = worker.Status;
        Console.WriteLine(status.Started && status.PendingCommits == 0 && status.QueuedChanges == 0 && status.LastPushTime is not null
            ? "pushed"
            : $"status {status.PendingCommits} {status.QueuedChanges}");
        await Task.Delay(100);
    }
});

string? line;
while ((line = await Console.In.ReadLineAsync()) is not null)
{
    var parts = line.Split(' ', 3);
    if (parts is ["put", var path, var content])
    {
        var name = Path.GetFileNameWithoutExtension(path);
        await worker.EnqueueAsync(new GitChange(path, System.Text.Encoding.UTF8.GetBytes(content + "\n"),
            new ChangeDescription(ChangeOperation.Update, new ObjectIdentity("v1", "ConfigMap", "prod", name), "kubectl-edit", DateTimeOffset.UtcNow, null) { User = "alice" }),
            CancellationToken.None);
    }
}

await Task.Delay(Timeout.Infinite, stop.Token).ContinueWith(_ => { }, TaskScheduler.Default);
await run;
await report;
return 0;

internal sealed class NoMeters : IMeterFactory
{
    public Meter Create(MeterOptions options) => new(options.Name, options.Version);

    public void Dispose()
    {
    }
}
