using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.RegularExpressions;
using GitOpsReverser.Kube;
using GitOpsReverser.TestServers;
using k8s;

namespace GitOpsReverser.Benchmarks;

/// <summary>
/// KubeSim and the operator as separate processes, a local bare remote, real git:
///   dotnet run -c Release --project test/GitOpsReverser.Benchmarks -- operator [--objects 10000] [--namespaces 100] [--seconds 10] [--rate 200]
///     [--window 1s] [--push-interval 250ms] [--dir /dev/shm] [--operator-log FILE]
/// Reports the initial sync time (start to /readyz, and to the [RESYNC] commit on the remote) and the
/// operator's peak RSS; sustained changes/s; change → local commit and change → push latency at a
/// steady rate; and the operator's memory per tracked object.
/// </summary>
internal static partial class OperatorBench
{
    private const string NamespacePrefix = "bench-";
    private const string OperatorNamespace = "gitops-reverser-system";

    public static async Task<int> RunAsync(string[] args)
    {
        var objects = Option(args, "--objects", 10_000);
        var seconds = Option(args, "--seconds", 10);
        var rate = Option(args, "--rate", 200);
        namespaces = Option(args, "--namespaces", 100);
        var root = Path.Combine(OptionText(args, "--dir") ?? Path.GetTempPath(), "operator-bench-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(root);
        var kubeconfig = Path.Combine(root, "kubeconfig");
        using var sim = Start("kubesim.dll", ["--port", "0", "--kubeconfig", kubeconfig, "--history-limit", "1000000"]);
        try
        {
            while (!File.Exists(kubeconfig) || sim.StandardOutput.ReadLine() is not { } line || !line.StartsWith("KubeSim listening", StringComparison.Ordinal))
            {
                await Task.Delay(50);
            }

            using var http = KubernetesHttp.Create(KubernetesClientConfiguration.BuildConfigFromConfigFile(kubeconfig));
            var kubectl = new Kubectl(File.Exists("/usr/bin/kubectl") ? "/usr/bin/kubectl" : Kubectl.Installed, kubeconfig, Path.Combine(root, "cache"));
            (await kubectl.RunAsync($"apply -f {Path.Combine(Kubectl.RepositoryRoot, "deploy", "crds")}")).ShouldSucceed();
            for (var n = 0; n < namespaces; n++)
            {
                await PostAsync(http, "api/v1/namespaces", $$$"""{"apiVersion":"v1","kind":"Namespace","metadata":{"name":"{{{NamespaceOf(n)}}}"}}""");
            }

            await PostAsync(http, "api/v1/namespaces", $$$"""{"apiVersion":"v1","kind":"Namespace","metadata":{"name":"{{{OperatorNamespace}}}"}}""");
            var payload = new string('x', 512);
            var created = Stopwatch.StartNew();
            await Parallel.ForAsync(0, objects, new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (i, _) =>
                await PostAsync(http, $"api/v1/namespaces/{NamespaceOf(i)}/configmaps",
                    $$$"""{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"cm-{{{i:D6}}}"},"data":{"payload":"{{{payload}}}","value":"0"}}"""));
            Report($"created {objects:N0} ConfigMaps in {namespaces} namespaces in KubeSim in {created.Elapsed.TotalSeconds:F1} s");

            // --remote http: nginx and git http-backend, a server as users push to (it indexes in its own processes);
            // default: a local bare repository, which libgit2 writes, and indexes, in the operator's process.
            using var server = OptionText(args, "--remote") == "http" ? new GitHttpServer("bench", "bench-password") : null;
            var remote = server?.CreateRepository("remote.git") ?? GitCli.InitBare(Path.Combine(root, "remote.git"));
            var url = server?.UrlFor("remote.git") ?? remote;
            if (server is not null)
            {
                (await kubectl.RunAsync($"create secret generic git-credentials -n {OperatorNamespace} --from-literal=username=bench --from-literal=password=bench-password"))
                    .ShouldSucceed();
            }

            var window = OptionText(args, "--window");
            var pushInterval = OptionText(args, "--push-interval") ?? "250ms";
            var commitMode = window is null ? "" : $"  commit: {{mode: Window, window: {window}}}";
            (await kubectl.RunAsync("apply -f -", $"""
                apiVersion: configbutler.ai/v1alpha1
                kind: GitRepoConfig
                metadata:
                  name: audit
                  namespace: {OperatorNamespace}
                spec:
                  url: {url}
                {(server is null ? "" : "  secretRef: {name: git-credentials}")}
                  push:
                    interval: {pushInterval}
                    maxCommits: 500
                {commitMode}
                ---
                apiVersion: configbutler.ai/v1alpha1
                kind: WatchRule
                metadata:
                  name: configmaps
                  namespace: {OperatorNamespace}
                spec:
                  gitRepoConfigRef: audit
                  resources:
                    - apiVersion: v1
                      kind: ConfigMap
                """)).ShouldSucceed();

            var health = LoopbackPorts.Free();
            var metricsPort = LoopbackPorts.Free();
            var data = Path.Combine(root, "data");
            var clock = Stopwatch.StartNew();
            using var operatorProcess = Start("gitops-reverser.dll",
            [
                "run", "--kubeconfig", kubeconfig, "--data-dir", data, "--namespace", OperatorNamespace, "--listen-address", "127.0.0.1",
                "--health-port", health.ToString(CultureInfo.InvariantCulture), "--metrics-port", metricsPort.ToString(CultureInfo.InvariantCulture),
                "--allow-local-repositories",
            ]);
            var operatorLog = OptionText(args, "--operator-log");
            operatorProcess.OutputDataReceived += (_, line) =>
            {
                if (operatorLog is not null && line.Data is not null)
                {
                    lock (operatorProcess)
                    {
                        File.AppendAllText(operatorLog, line.Data + "\n");
                    }
                }
            };
            operatorProcess.BeginOutputReadLine();
            using var probe = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{health}/") };
            while (!await IsOkAsync(probe, "readyz"))
            {
                await Task.Delay(20);
            }

            var ready = clock.Elapsed;
            while (GitCli.Run(remote, "for-each-ref").Length == 0)
            {
                await Task.Delay(20);
            }

            var pushed = clock.Elapsed;
            Report($"initial sync of {objects:N0} objects: ready (/readyz) after {ready.TotalSeconds:F2} s, [RESYNC] commit on the remote after {pushed.TotalSeconds:F2} s; "
                + $"peak RSS {PeakRssMegabytes(operatorProcess.Id):F0} MB, RSS now {RssMegabytes(operatorProcess.Id):F0} MB "
                + $"({RssMegabytes(operatorProcess.Id) * 1024 * 1024 / objects:F0} B per tracked object, everything included)");

            using var metrics = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{metricsPort}/") };
            Func<double> remoteCpu = server is null
                ? () => CpuSeconds(operatorProcess.Id, children: true)
                : () => server.ProcessIds.Sum(TreeCpuSeconds);
            Report($"remote: {(server is null ? "a local bare repository, written in the operator's process" : $"nginx and git http-backend at {url}")}");
            await SustainedAsync(http, metrics, objects, seconds, operatorProcess.Id, sim.Id, data, remote, remoteCpu);
            if (window is null)
            {
                await LatencyAsync(http, data, remote, objects, rate, seconds);
            }
            else
            {
                Report("latency: not measured with a commit window ([BATCH] messages do not carry resource versions)");
            }

            operatorProcess.Kill(entireProcessTree: true);
            return 0;
        }
        finally
        {
            sim.Kill(entireProcessTree: true);
            try
            {
                Directory.Delete(root, recursive: true);
            }
            catch (IOException)
            {
                // A process still closing files; the temp folder is cleaned up later.
            }
        }
    }

    // As many changes as 16 writers can make for the given time; then how long until the operator has committed them all.
    private static async Task SustainedAsync(
        HttpClient http, HttpClient metrics, int objects, int seconds, int operatorPid, int simPid, string data, string remote, Func<double> remoteCpu)
    {
        var before = await MetricAsync(metrics, "gitops_reverser_events_received_total", "kind=\"ConfigMap\"");
        await RemoteCaughtUpAsync(data, remote);
        var commitsBefore = CommitCount(remote);
        var cpuBefore = CpuSeconds(operatorPid);
        var othersBefore = (Children: remoteCpu(), Sim: CpuSeconds(simPid), Bench: Process.GetCurrentProcess().TotalProcessorTime.TotalSeconds);
        var writes = 0;
        var clock = Stopwatch.StartNew();
        await Parallel.ForAsync(0, 16, async (writer, _) =>
        {
            var random = new Random(writer);
            while (clock.Elapsed < TimeSpan.FromSeconds(seconds))
            {
                var value = Interlocked.Increment(ref writes);
                await PatchAsync(http, $"cm-{random.Next(objects):D6}", $"s{value}");
            }
        });
        var written = clock.Elapsed;
        while (await MetricAsync(metrics, "gitops_reverser_events_received_total", "kind=\"ConfigMap\"") < before + writes
               || await MetricAsync(metrics, "gitops_reverser_git_commit_queue_size", "repository=") > 0)
        {
            await Task.Delay(20);
        }

        var done = clock.Elapsed;
        var cpu = CpuSeconds(operatorPid) - cpuBefore;
        await RemoteCaughtUpAsync(data, remote);
        var pushed = clock.Elapsed;
        var operatorUntilPushed = CpuSeconds(operatorPid) - cpuBefore;
        var children = remoteCpu() - othersBefore.Children;
        var simulator = CpuSeconds(simPid) - othersBefore.Sim;
        var bench = Process.GetCurrentProcess().TotalProcessorTime.TotalSeconds - othersBefore.Bench;
        var commits = CommitCount(remote) - commitsBefore;
        var coalesced = await MetricAsync(metrics, "gitops_reverser_git_changes_coalesced_total", "repository=");
        Report($"sustained: {writes:N0} changes written in {written.TotalSeconds:F1} s ({writes / written.TotalSeconds:F0}/s, KubeSim's limit with 16 writers); "
            + $"{commits:N0} commits on the remote for them ({(double)commits / writes:F3} commits per change, {coalesced:N0} changes coalesced); "
            + $"received, sanitized and committed by {done.TotalSeconds:F1} s: {writes / done.TotalSeconds:F0} changes/s end to end; "
            + $"the operator used {cpu:F1} CPU-seconds, {cpu * 1000 / writes:F2} ms per change ({writes / cpu:F0} changes per CPU-second); "
            + $"all pushed by {pushed.TotalSeconds:F1} s ({writes / pushed.TotalSeconds:F0} changes/s to the remote); "
            + $"CPU per change until then: the operator {operatorUntilPushed * 1000 / writes:F2} ms, the remote's server (git children of the operator for a local remote; nginx and git for http) {children * 1000 / writes:F2} ms, "
            + $"KubeSim {simulator * 1000 / writes:F2} ms, the 16 writers (this process) {bench * 1000 / writes:F2} ms; "
            + $"the remote's objects now take {ObjectBytes(remote) / 1e6:F1} MB");
    }

    // Loose objects and packs of a bare repository: what the pushes left on the server.
    private static long ObjectBytes(string repository) =>
        new DirectoryInfo(Path.Combine(repository, "objects")).EnumerateFiles("*", SearchOption.AllDirectories).Sum(file => file.Length);

    private static int CommitCount(string remote) =>
        int.Parse(GitCli.Run(remote, "rev-list", "--count", "main").Trim(), CultureInfo.InvariantCulture);

    // One change every 1/rate s; the times the local branch and the remote branch moved, read by watching their ref files.
    private static async Task LatencyAsync(HttpClient http, string data, string remote, int objects, int rate, int seconds)
    {
        await RemoteCaughtUpAsync(data, remote);
        await Task.Delay(1000);
        var clone = CloneOf(data);
        var clock = Stopwatch.StartNew();
        var commitMoves = WatchRef(clone, clock);
        var pushMoves = WatchRef(remote, clock);
        var sent = new Dictionary<long, TimeSpan>();
        var interval = TimeSpan.FromSeconds(1.0 / rate);
        for (var i = 0; i < rate * seconds; i++)
        {
            var due = interval * i;
            if (clock.Elapsed < due)
            {
                await Task.Delay(due - clock.Elapsed);
            }

            var at = clock.Elapsed;
            var version = await PatchAsync(http, $"cm-{i % objects:D6}", $"l{i}");
            sent[version] = at;
        }

        await Task.Delay(5000);
        var commit = Latencies(clone, commitMoves.Moves, new Dictionary<long, TimeSpan>(sent));
        var push = Latencies(remote, pushMoves.Moves, new Dictionary<long, TimeSpan>(sent));
        ((CancellationTokenSource)commitMoves.Watcher).Cancel();
        ((CancellationTokenSource)pushMoves.Watcher).Cancel();
        Report($"latency at {rate} changes/s for {seconds} s ({rate * seconds} changes): change → local commit p50 {Percentile(commit, 50):F1} ms, p99 {Percentile(commit, 99):F1} ms "
            + $"({commit.Count} measured); change → push p50 {Percentile(push, 50):F1} ms, p99 {Percentile(push, 99):F1} ms ({push.Count} measured)");
    }

    // For each change (by resourceVersion), the time the first branch move that contained its commit happened, minus the time it was sent.
    private static List<double> Latencies(string repository, List<(TimeSpan At, string Sha)> moves, Dictionary<long, TimeSpan> sent)
    {
        var latencies = new List<double>();
        string? previous = null;
        foreach (var (at, sha) in moves.ToList())
        {
            var range = previous is null ? sha : $"{previous}..{sha}";
            previous = sha;
            foreach (Match match in ResourceVersion().Matches(GitCli.Run(repository, "log", "--format=%B", range)))
            {
                if (sent.Remove(long.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture), out var when))
                {
                    latencies.Add((at - when).TotalMilliseconds);
                }
            }
        }

        return latencies;
    }

    // Reads the branch's ref file every 2 ms (inotify misses libgit2's lock-and-rename writes here) until disposed.
    private static (IDisposable Watcher, List<(TimeSpan At, string Sha)> Moves) WatchRef(string repository, Stopwatch clock)
    {
        var moves = new List<(TimeSpan, string)>();
        var path = Path.Combine(repository, "refs", "heads", "main");
        var stop = new CancellationTokenSource();
        var thread = new Thread(() =>
        {
            while (!stop.IsCancellationRequested)
            {
                try
                {
                    var sha = File.ReadAllText(path).Trim();
                    lock (moves)
                    {
                        if (sha.Length == 40 && (moves.Count == 0 || moves[^1].Item2 != sha))
                        {
                            moves.Add((clock.Elapsed, sha));
                        }
                    }
                }
                catch (IOException)
                {
                    // Between the lock file's rename and the next write.
                }

                Thread.Sleep(2);
            }
        })
        { IsBackground = true };
        thread.Start();
        return (stop, moves);
    }

    // Until the remote branch is where the clone's branch is: every commit made so far is pushed.
    private static async Task RemoteCaughtUpAsync(string data, string remote)
    {
        var clone = CloneOf(data);
        while (GitCli.Run(clone, "rev-parse", "main").Trim() != GitCli.Run(remote, "rev-parse", "main").Trim())
        {
            await Task.Delay(50);
        }
    }

    // The operator's one clone under its data directory.
    private static string CloneOf(string data) => Directory.GetDirectories(Path.Combine(data, "repos")).Single();

    private static double Percentile(List<double> values, int percentile)
    {
        if (values.Count == 0)
        {
            return double.NaN;
        }

        var sorted = values.Order().ToList();
        return sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(percentile / 100.0 * sorted.Count) - 1)];
    }

    private static async Task PostAsync(HttpClient http, string path, string json)
    {
        using var response = await http.PostAsync(path, new StringContent(json, Encoding.UTF8, "application/json"));
        if (!response.IsSuccessStatusCode && response.StatusCode != System.Net.HttpStatusCode.Conflict)
        {
            throw new InvalidOperationException($"POST {path}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        }
    }

    // Returns the new resourceVersion.
    private static async Task<long> PatchAsync(HttpClient http, string name, string value)
    {
        var index = int.Parse(name["cm-".Length..], CultureInfo.InvariantCulture);
        using var request = new HttpRequestMessage(HttpMethod.Patch, $"api/v1/namespaces/{NamespaceOf(index)}/configmaps/{name}?fieldManager=bench")
        {
            Content = new StringContent($$$"""{"data":{"value":"{{{value}}}"}}""", Encoding.UTF8),
        };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/merge-patch+json");
        using var response = await http.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();
        var match = ResourceVersionJson().Match(body);
        return response.IsSuccessStatusCode && match.Success
            ? long.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture)
            : throw new InvalidOperationException($"PATCH {name}: {(int)response.StatusCode} {body}");
    }

    private static async Task<double> MetricAsync(HttpClient metrics, string name, string labels)
    {
        var text = await metrics.GetStringAsync("metrics");
        return text.Split('\n')
            .Where(line => line.StartsWith(name + "{", StringComparison.Ordinal) && line.Contains(labels, StringComparison.Ordinal))
            .Sum(line => double.Parse(line[(line.LastIndexOf(' ') + 1)..], CultureInfo.InvariantCulture));
    }

    private static async Task<bool> IsOkAsync(HttpClient client, string path)
    {
        try
        {
            using var response = await client.GetAsync(path);
            return response.IsSuccessStatusCode;
        }
        catch (HttpRequestException)
        {
            return false;
        }
    }

    private static Process Start(string dll, IEnumerable<string> arguments)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = false, UseShellExecute = false };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, dll));
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        return Process.Start(start)!;
    }

    // utime + stime from /proc/<pid>/stat (fields 14 and 15, in clock ticks of 1/100 s), after the parenthesized
    // name; with children, cutime + cstime (16 and 17): the processes it started and waited for.
    private static double CpuSeconds(int pid, bool children = false)
    {
        var stat = File.ReadAllText($"/proc/{pid}/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        var first = children ? 13 : 11;
        return (long.Parse(fields[first], CultureInfo.InvariantCulture) + long.Parse(fields[first + 1], CultureInfo.InvariantCulture)) / 100.0;
    }

    // A process and its descendants, live or reaped by them: fcgiwrap's workers reap the git processes they fork.
    private static double TreeCpuSeconds(int pid)
    {
        try
        {
            var children = Directory.GetDirectories($"/proc/{pid}/task")
                .SelectMany(task => File.ReadAllText(Path.Combine(task, "children")).Split(' ', StringSplitOptions.RemoveEmptyEntries))
                .Select(child => int.Parse(child, CultureInfo.InvariantCulture));
            return CpuSeconds(pid) + CpuSeconds(pid, children: true) + children.Sum(TreeCpuSeconds);
        }
        catch (IOException)
        {
            return 0; // exited meanwhile
        }
    }

    private static double PeakRssMegabytes(int pid) => StatusKilobytes(pid, "VmHWM:") / 1024.0;

    private static double RssMegabytes(int pid) => StatusKilobytes(pid, "VmRSS:") / 1024.0;

    private static long StatusKilobytes(int pid, string field) =>
        long.Parse(File.ReadLines($"/proc/{pid}/status").First(line => line.StartsWith(field, StringComparison.Ordinal))[field.Length..].Trim().Split(' ')[0],
            CultureInfo.InvariantCulture);

    private static int Option(string[] args, string name, int fallback) =>
        OptionText(args, name) is { } text ? int.Parse(text, CultureInfo.InvariantCulture) : fallback;

    private static string? OptionText(string[] args, string name) =>
        Array.IndexOf(args, name) is var index and >= 0 && index + 1 < args.Length ? args[index + 1] : null;

    private static void Report(string line) => Console.WriteLine(line);

    private static int namespaces = 100;

    private static string NamespaceOf(int index) => NamespacePrefix + (index % namespaces).ToString("D3", CultureInfo.InvariantCulture);

    [GeneratedRegex(@"- Resource Version: (\d+)")]
    private static partial Regex ResourceVersion();

    [GeneratedRegex("\"resourceVersion\":\"(\\d+)\"")]
    private static partial Regex ResourceVersionJson();
}
