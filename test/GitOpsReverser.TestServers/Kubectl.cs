using System.Diagnostics;

namespace GitOpsReverser.TestServers;

/// <summary>Runs a real kubectl binary against a kubeconfig, with its own discovery cache.</summary>
public sealed class Kubectl(string binary, string kubeconfig, string cacheDirectory)
{
    /// <summary>kubectl 1.34 as the test target installs it (eng/install-test-tools.sh).</summary>
    public static string Installed
    {
        get
        {
            var path = Path.Combine(RepositoryRoot, "artifacts", "tools", "bin", "kubectl");
            if (!File.Exists(path))
            {
                throw new FileNotFoundException($"{path} is missing: run eng/install-test-tools.sh (the test target does)");
            }

            return path;
        }
    }

    /// <summary>The machine's /usr/bin/kubectl (1.32), when present.</summary>
    public static string? Preinstalled => File.Exists("/usr/bin/kubectl") ? "/usr/bin/kubectl" : null;

    public static string RepositoryRoot
    {
        get
        {
            var directory = new DirectoryInfo(AppContext.BaseDirectory);
            while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "GitOpsReverser.sln")))
            {
                directory = directory.Parent;
            }

            return directory?.FullName ?? throw new InvalidOperationException("GitOpsReverser.sln not found above the test directory");
        }
    }

    public string Binary { get; } = binary;

    public async Task<KubectlResult> RunAsync(string arguments, string? stdin = null, IDictionary<string, string>? environment = null)
    {
        var start = new ProcessStartInfo(Binary);
        start.ArgumentList.Add("--kubeconfig");
        start.ArgumentList.Add(kubeconfig);
        start.ArgumentList.Add("--cache-dir");
        start.ArgumentList.Add(cacheDirectory);
        foreach (var argument in SplitArguments(arguments))
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["HOME"] = cacheDirectory;
        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[key] = value;
        }

        return await ToolRun.RunAsync(start, stdin, TimeSpan.FromSeconds(60));
    }

    /// <summary>Starts a long-running kubectl (a watch) whose output is collected until it is stopped.</summary>
    public RunningProcess Start(string arguments)
    {
        var start = new ProcessStartInfo(Binary) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in new[] { "--kubeconfig", kubeconfig, "--cache-dir", cacheDirectory }.Concat(SplitArguments(arguments)))
        {
            start.ArgumentList.Add(argument);
        }

        return new RunningProcess(Process.Start(start)!);
    }

    // Whitespace-separated; single quotes group (enough for the JSON patches in these tests).
    private static IEnumerable<string> SplitArguments(string arguments)
    {
        var current = new System.Text.StringBuilder();
        var quoted = false;
        var any = false;
        foreach (var c in arguments)
        {
            if (c == '\'')
            {
                quoted = !quoted;
                any = true;
            }
            else if (char.IsWhiteSpace(c) && !quoted)
            {
                if (any)
                {
                    yield return current.ToString();
                    current.Clear();
                    any = false;
                }
            }
            else
            {
                current.Append(c);
                any = true;
            }
        }

        if (any)
        {
            yield return current.ToString();
        }
    }
}

/// <summary>What a run of kubectl (or helm) printed and returned.</summary>
public sealed record KubectlResult(int ExitCode, string Output, string Error)
{
    /// <summary>Throws, failing the test, unless the command exited with 0.</summary>
    public KubectlResult ShouldSucceed(string? because = null) =>
        ExitCode == 0 ? this : throw new InvalidOperationException($"the command should succeed{(because is null ? "" : $" ({because})")} but exited with {ExitCode}; stderr: {Error}");
}
