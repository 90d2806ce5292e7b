using System.Diagnostics;

namespace GitOpsReverser.TestServers;

/// <summary>Runs a command-line tool (kubectl, helm) to its end, with input and a time limit, collecting what it printed.</summary>
internal static class ToolRun
{
    public static async Task<KubectlResult> RunAsync(ProcessStartInfo start, string? stdin, TimeSpan limit)
    {
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        start.RedirectStandardInput = true;
        start.UseShellExecute = false;
        using var process = Process.Start(start)!;
        if (stdin is not null)
        {
            await process.StandardInput.WriteAsync(stdin);
        }

        process.StandardInput.Close();
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(limit);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{Path.GetFileName(start.FileName)} {string.Join(' ', start.ArgumentList)} did not finish within {limit.TotalSeconds} s");
        }

        return new KubectlResult(process.ExitCode, await output, await error);
    }
}
