using System.Diagnostics;

namespace GitOpsReverser.TestServers;

/// <summary>Test servers started in process groups of their own (setsid), waited for, and stopped by process id with everything they started.</summary>
internal static class ProcessGroup
{
    // setsid puts the server and its children in a process group of their own, so one kill stops them all.
    public static Process Start(string program, params string[] arguments)
    {
        var start = new ProcessStartInfo("setsid") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(program);
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        var process = Process.Start(start)!;
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    public static void Stop(Process process)
    {
        if (!process.HasExited)
        {
            using var kill = Process.Start("kill", ["-TERM", "--", $"-{process.Id}"]);
            kill.WaitForExit();
            if (!process.WaitForExit(5000))
            {
                process.Kill(entireProcessTree: true);
            }
        }

        process.Dispose();
    }

    public static void WaitFor(Func<bool> condition, string what)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new InvalidOperationException($"{what} did not come up");
            }

            Thread.Sleep(20);
        }
    }
}
