using System.ComponentModel;
using System.Diagnostics;

namespace GitOpsReverser.Git;

/// <summary>
/// <c>git receive-pack</c> on a repository on this machine (tests and playgrounds, behind
/// <c>--allow-local-repositories</c>), through its standard input and output: the program an SSH server
/// runs for a push, so local pushes take the same path as remote ones. Needs git on the PATH.
/// </summary>
internal sealed class LocalReceivePack(string path) : ReceivePackTransport
{
    private Process? process;
    private Task<string>? errors;
    private Task? writing;

    public override Stream Advertise()
    {
        var start = new ProcessStartInfo("git")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add("receive-pack");
        start.ArgumentList.Add(path);
        try
        {
            process = Process.Start(start)!;
        }
        catch (Win32Exception exception)
        {
            throw new GitRemoteException(GitFailureKind.Configuration, "push", path, "local repositories need the git program on the PATH", exception);
        }

        errors = process.StandardError.ReadToEndAsync();
        return process.StandardOutput.BaseStream;
    }

    public override Stream Send(ArraySegment<byte> request)
    {
        var running = process ?? throw new InvalidOperationException("Advertise first");

        // Written beside the report's reading, so a server talking early never blocks on a full pipe.
        writing = Task.Run(() =>
        {
            using var input = running.StandardInput.BaseStream;
            input.Write(request);
        });
        return running.StandardOutput.BaseStream;
    }

    public override void Finish()
    {
        writing?.GetAwaiter().GetResult();
        if (process is { } running && running.WaitForExit(TimeSpan.FromSeconds(30)) && running.ExitCode != 0)
        {
            throw new InvalidOperationException($"git receive-pack failed ({running.ExitCode}): {ErrorOutput}");
        }
    }

    public override string ErrorOutput =>
        errors is { } text && (process?.WaitForExit(TimeSpan.FromSeconds(5)) ?? false) && text.Wait(TimeSpan.FromSeconds(1)) ? text.Result.Trim() : "";

    public override void Dispose()
    {
        if (process is { HasExited: false } running)
        {
            running.Kill();
        }

        process?.Dispose();
    }
}
