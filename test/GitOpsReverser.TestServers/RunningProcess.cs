using System.Diagnostics;
using System.Text;

namespace GitOpsReverser.TestServers;

/// <summary>A process the test started (<c>kubectl get -w</c>, the playground): its output as it arrives, signals, its end.</summary>
public sealed class RunningProcess : IDisposable
{
    private readonly Process process;
    private readonly StringBuilder output = new();
    private readonly StringBuilder error = new();

    public RunningProcess(Process process)
    {
        this.process = process;
        process.OutputDataReceived += (_, line) =>
        {
            lock (output)
            {
                if (line.Data is not null)
                {
                    output.Append(line.Data).Append('\n');
                }
            }
        };
        process.ErrorDataReceived += (_, line) =>
        {
            lock (error)
            {
                if (line.Data is not null)
                {
                    error.Append(line.Data).Append('\n');
                }
            }
        };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public string Output
    {
        get
        {
            lock (output)
            {
                return output.ToString();
            }
        }
    }

    public string Error
    {
        get
        {
            lock (error)
            {
                return error.ToString();
            }
        }
    }

    /// <summary>Waits until the output satisfies <paramref name="condition"/> (fails the test after <paramref name="seconds"/>, default 20).</summary>
    public async Task WaitForAsync(Func<string, bool> condition, string what, int seconds = 20)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (!condition(Output))
        {
            if (DateTime.UtcNow > deadline || process.HasExited)
            {
                throw new TimeoutException($"{Path.GetFileName(process.StartInfo.FileName)} never showed {what}; output:\n{Output}\nstderr:\n{Error}");
            }

            await Task.Delay(50);
        }
    }

    /// <summary>Sends <paramref name="signal"/> (<c>INT</c>, <c>TERM</c>) and returns the exit code once the process ends (within 60 s).</summary>
    public async Task<int> SignalAsync(string signal)
    {
        using (var kill = Process.Start("kill", [$"-{signal}", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
        {
            await kill.WaitForExitAsync();
        }

        return await WaitForExitAsync();
    }

    /// <summary>The exit code once the process ends (within 60 s).</summary>
    public async Task<int> WaitForExitAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(timeout.Token);
        return process.ExitCode;
    }

    public void Dispose()
    {
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit();
        }

        process.Dispose();
    }
}
