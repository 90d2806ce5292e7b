using System.Diagnostics;

namespace GitOpsReverser.IntegrationTests.TestSupport;

/// <summary>The real <c>gitops-reverser</c> binary of the test's build, run once as a process.</summary>
internal static class CliProcess
{
    public static Task<(int ExitCode, string Stdout, string Stderr)> RunAsync(string arguments, string stdin = "", params (string Name, string Value)[] environment) =>
        RunInAsync(null, arguments, stdin, environment);

    /// <summary>As <see cref="RunAsync"/>, in <paramref name="workingDirectory"/> (null: the test's).</summary>
    public static async Task<(int ExitCode, string Stdout, string Stderr)> RunInAsync(
        string? workingDirectory, string arguments, string stdin = "", params (string Name, string Value)[] environment)
    {
        var start = new ProcessStartInfo("dotnet", $"\"{Path.Combine(TestContext.CurrentContext.TestDirectory, "gitops-reverser.dll")}\" {arguments}")
        {
            WorkingDirectory = workingDirectory ?? "",
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        using var process = Process.Start(start)!;
        await process.StandardInput.WriteAsync(stdin);
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await stdout, await stderr);
    }
}
