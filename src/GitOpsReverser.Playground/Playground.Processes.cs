using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace GitOpsReverser.Playground;

/// <summary>The processes the playground runs (kubectl, the operator): finding them, running them, stopping them, ports.</summary>
internal sealed partial class Playground
{
    // SIGTERM, as a pod is stopped, so the operator pushes what it has; killed after 20 s.
    private static async Task StopAsync(Process process)
    {
        if (process.HasExited)
        {
            return;
        }

        using (var kill = Process.Start(new ProcessStartInfo("kill", ["-TERM", process.Id.ToString(CultureInfo.InvariantCulture)])))
        {
            await kill!.WaitForExitAsync();
        }

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }
    }

    // The kubectl ./build.sh fetched into artifacts/tools/bin, else one on PATH.
    private static string FindKubectl()
    {
        var fetched = Path.GetFullPath(Path.Combine(Bundled, "..", "..", "tools", "bin", "kubectl"));
        if (File.Exists(fetched))
        {
            return fetched;
        }

        return (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator)
            .Select(folder => Path.Combine(folder, "kubectl")).FirstOrDefault(File.Exists)
            ?? throw new PlaygroundException($"kubectl is neither at {fetched} nor on PATH: run ./build.sh --target=Playground");
    }

    private Task KubectlAsync(string kubectl, string[] arguments, string? stdin, CancellationToken cancellationToken) =>
        RunAsync(kubectl, ["--kubeconfig", Kubeconfig, .. arguments], cancellationToken, stdin: stdin);

    private static async Task<string> RunAsync(string program, string[] arguments, CancellationToken cancellationToken,
        string? stdin = null, bool allowFailure = false)
    {
        var start = new ProcessStartInfo(program, arguments)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var process = Process.Start(start) ?? throw new PlaygroundException($"cannot start {program}");
        await process.StandardInput.WriteAsync(stdin ?? "");
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken);
        if (process.ExitCode != 0 && !allowFailure)
        {
            throw new PlaygroundException($"{Path.GetFileName(program)} {string.Join(' ', arguments)} failed: {(await stderr).Trim()}");
        }

        return await stdout;
    }

    private static void Log(StreamWriter log, string? line)
    {
        if (line is not null)
        {
            lock (log)
            {
                log.WriteLine(line);
            }
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
