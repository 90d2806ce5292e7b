using System.Diagnostics;
using System.Globalization;
using System.Text;
using GitOpsReverser.Git.Clone;
using GitOpsReverser.Git.Transport;
using GitOpsReverser.TestServers;
using LibGit2Sharp;

namespace GitOpsReverser.Benchmarks;

/// <summary>
/// Single-file commits through the RepoWorker's commit path (blob, in-memory tree, raw tree objects,
/// commit, ref) in repositories of 1k, 10k and 100k files, fanned out over 100 namespaces and flat
/// (one folder), plus push latency to a local bare repository.
///   dotnet run -c Release --project test/GitOpsReverser.Benchmarks -- commits [--sizes 1000,10000,100000] [--commits 300] [--dir FOLDER] [--signing]
/// (--dir /dev/shm measures the CPU cost without the disk; --signing also measures the fanned repositories with every
/// commit signed, commit.signing's SSH signature, and prints what signing adds per commit.)
/// </summary>
internal static class CommitBench
{
    public static int Run(string[] args)
    {
        var sizes = Option(args, "--sizes", "1000,10000,100000").Split(',').Select(size => int.Parse(size, CultureInfo.InvariantCulture)).ToArray();
        var commits = int.Parse(Option(args, "--commits", "300"), CultureInfo.InvariantCulture);
        var parent = Option(args, "--dir", Path.GetTempPath());
        var root = Path.Combine(parent, $"commit-bench-{Guid.NewGuid():N}");
        Directory.CreateDirectory(root);
        try
        {
            // Warm-up: JIT and file system caches, not reported.
            Measure(Path.Combine(root, "warm-up"), "fanned", 500, 100);
            Console.WriteLine($"single-file commits, {commits} per repository (ms per commit: median, p99; commits/s from the mean; p99 includes loading folders on first touch)");
            var results = new Dictionary<(string, int), double>();
            foreach (var layout in new[] { "fanned", "flat" })
            {
                foreach (var size in sizes)
                {
                    var (mean, median, p99) = Measure(Path.Combine(root, $"{layout}-{size}"), layout, size, commits);
                    results[(layout, size)] = median;
                    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                        $"  {layout,-6} {size,7:N0} files: median {median:F2} ms, p99 {p99:F2} ms, {1000 / mean:N0} commits/s"));
                }

                if (results.ContainsKey((layout, sizes[0])) && results.ContainsKey((layout, sizes[^1])))
                {
                    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                        $"  {layout} {sizes[^1]:N0}/{sizes[0]:N0} cost ratio (medians): {results[(layout, sizes[^1])] / results[(layout, sizes[0])]:F2}"));
                }
            }

            if (args.Contains("--signing"))
            {
                var signer = SshCommitSigner.TryLoad(BenchKey(root), "bench", out var problem) ?? throw new InvalidOperationException(problem);
                foreach (var size in sizes)
                {
                    var (mean, median, p99) = Measure(Path.Combine(root, $"signed-{size}"), "fanned", size, commits, signer);
                    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                        $"  signed {size,7:N0} files: median {median:F2} ms, p99 {p99:F2} ms, {1000 / mean:N0} commits/s; signing adds {median - results[("fanned", size)]:F3} ms per commit (medians)"));
                }
            }

            PushLatency(Path.Combine(root, "push"));
            return 0;
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    // An Ed25519 key as ssh-keygen makes one.
    private static string BenchKey(string root)
    {
        var file = Path.Combine(root, "signing-key");
        using (var keygen = Process.Start(new ProcessStartInfo("ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-f", file]) { RedirectStandardOutput = true })!)
        {
            keygen.WaitForExit();
        }

        return File.ReadAllText(file);
    }

    private static (double Mean, double Median, double P99) Measure(string path, string layout, int size, int commits, SshCommitSigner? signer = null)
    {
        string FilePath(int i) => layout == "flat"
            ? $"namespaces/big/ConfigMap/cm-{i:D6}.yaml"
            : $"namespaces/ns-{i % 100:D3}/ConfigMap/cm-{i:D6}.yaml";

        using (var seed = LocalClone.Open(path, "/nonexistent", "main"))
        {
            for (var i = 0; i < size; i++)
            {
                seed.Tree.Set(FilePath(i), seed.WriteBlob(Content(i, 0)));
            }

            var signature = new Signature("bench", "bench@example.com", DateTimeOffset.UtcNow);
            seed.Commit("initial", signature, signature);
        }

        // A fresh open, as after a restart: the tree loads lazily from the object database.
        using var clone = LocalClone.Open(path, "/nonexistent", "main");
        clone.Signer = signer;
        var random = new Random(42);
        var timings = new List<double>(commits);
        for (var c = 1; c <= commits; c++)
        {
            var i = random.Next(size);
            var clock = Stopwatch.StartNew();
            clone.Tree.Set(FilePath(i), clone.WriteBlob(Content(i, c)));
            var signature = new Signature("bench", "bench@example.com", DateTimeOffset.UtcNow);
            clone.Commit($"[UPDATE] ConfigMap/cm-{i}", signature, signature);
            timings.Add(clock.Elapsed.TotalMilliseconds);
        }

        var objects = Path.Combine(path, "objects");
        var before = DirectoryBytes(objects);
        var packClock = Stopwatch.StartNew();
        var packing = clone.StartPacking(full: false);
        packing.Run();
        clone.FinishPacking(packing);
        var loose = packClock.Elapsed;
        var afterLoose = DirectoryBytes(objects);
        packClock.Restart();
        packing = clone.StartPacking(full: true);
        packing.Run();
        clone.FinishPacking(packing);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"    packing of {layout} {size:N0} after {commits} commits: the loose objects {loose.TotalSeconds:F1} s ({loose.TotalMilliseconds / commits:F2} ms per commit), "
            + $"objects {before / 1e6:F0} MB -> {afterLoose / 1e6:F0} MB; then everything, with deltas (every 16th packing) {packClock.Elapsed.TotalSeconds:F1} s, -> {DirectoryBytes(objects) / 1e6:F0} MB"));

        // The first commits load folders from the object database; the steady state is what a running worker sees.
        var steady = timings.Skip(Math.Min(20, commits / 10)).Order().ToList();
        return (steady.Average(), steady[steady.Count / 2], steady[(int)Math.Min(steady.Count - 1, Math.Ceiling(steady.Count * 0.99) - 1)]);
    }

    private static void PushLatency(string root)
    {
        var local = GitCli.InitBare(Path.Combine(root, "remote.git"));
        PushLatency(Path.Combine(root, "local"), "local path", local, GitCredentials.None);

        using var http = new GitHttpServer("bench", "bench-password");
        http.CreateRepository("bench.git");
        PushLatency(Path.Combine(root, "http"), "smart HTTP (nginx, basic auth)", http.UrlFor("bench.git"),
            new GitCredentials { Username = "bench", Password = "bench-password" });

        using var ssh = new SshGitServer();
        ssh.CreateRepository("bench.git");
        PushLatency(Path.Combine(root, "ssh"), "SSH (OpenSSH, managed transport)", ssh.UrlFor("bench.git"),
            new GitCredentials { SshPrivateKey = ssh.ClientKey, KnownHosts = ssh.KnownHosts });
    }

    private static void PushLatency(string path, string label, string url, GitCredentials credentials)
    {
        using var clone = LocalClone.Open(path, url, "main");
        var remote = new GitRemote(url, credentials);
        var timings = new List<double>();
        for (var c = 0; c < 30; c++)
        {
            clone.Tree.Set($"namespaces/a/ConfigMap/cm-{c % 10}.yaml", clone.WriteBlob(Content(c, c)));
            var signature = new Signature("bench", "bench@example.com", DateTimeOffset.UtcNow);
            clone.Commit("push bench", signature, signature);
            var clock = Stopwatch.StartNew();
            remote.Push(clone.Repository, clone.HeadId!, "main");
            timings.Add(clock.Elapsed.TotalMilliseconds);
        }

        var sorted = timings.Skip(3).Order().ToList();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"push of one commit, {label}: median {sorted[sorted.Count / 2]:F1} ms, max {sorted[^1]:F1} ms"));
    }

    private static long DirectoryBytes(string path) =>
        new DirectoryInfo(path).EnumerateFiles("*", SearchOption.AllDirectories).Sum(file => file.Length);

    private static byte[] Content(int i, int version) => Encoding.UTF8.GetBytes(
        $"apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm-{i}\n  namespace: ns\ndata:\n  version: \"{version}\"\n  payload: {new string('x', 200)}\n");

    private static string Option(string[] args, string name, string fallback)
    {
        var index = Array.IndexOf(args, name);
        return index >= 0 && index + 1 < args.Length ? args[index + 1] : fallback;
    }
}
