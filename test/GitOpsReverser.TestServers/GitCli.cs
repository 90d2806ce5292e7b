using System.Diagnostics;

namespace GitOpsReverser.TestServers;

/// <summary>The real git CLI, to set up remotes and to check what the pipeline wrote.</summary>
public static class GitCli
{
    public static string Run(string workingDirectory, params string[] arguments)
    {
        var start = new ProcessStartInfo("git")
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["GIT_AUTHOR_NAME"] = "Someone Else";
        start.Environment["GIT_AUTHOR_EMAIL"] = "someone@example.com";
        start.Environment["GIT_COMMITTER_NAME"] = "Someone Else";
        start.Environment["GIT_COMMITTER_EMAIL"] = "someone@example.com";
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"git {string.Join(' ', arguments)} failed ({process.ExitCode}): {error}");
        }

        return output.Result;
    }

    /// <summary>Whether <c>git ARGUMENTS</c> (run in the temporary folder) succeeds: what git itself accepts.</summary>
    public static bool Accepts(params string[] arguments)
    {
        try
        {
            Run(System.IO.Path.GetTempPath(), arguments);
            return true;
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }

    /// <summary>A new bare repository with <c>main</c> as its default branch.</summary>
    public static string InitBare(string path)
    {
        Directory.CreateDirectory(path);
        Run(path, "init", "--bare", "--quiet", "--initial-branch=main");
        return path;
    }

    /// <summary>Lines of <c>git log --format=FORMAT BRANCH</c> in a bare repository, newest first.</summary>
    public static List<string> Log(string bare, string format = "%s", string branch = "main") =>
        [.. Run(bare, "log", $"--format={format}", branch).Split('\n', StringSplitOptions.RemoveEmptyEntries)];

    public static string Show(string bare, string branch, string path) => Run(bare, "show", $"{branch}:{path}");

    public static List<string> Files(string bare, string branch = "main") =>
        [.. Run(bare, "ls-tree", "-r", "--name-only", branch).Split('\n', StringSplitOptions.RemoveEmptyEntries)];

    /// <summary>Installs <paramref name="script"/> as the hook <paramref name="name"/> of a bare repository.</summary>
    public static void WriteHook(string bare, string script, string name = "pre-receive")
    {
        var hook = System.IO.Path.Combine(bare, "hooks", name);
        File.WriteAllText(hook, script);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(hook, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
    }
}
