using System.Diagnostics;
using System.Text;

namespace GitOpsReverser.TestServers;

/// <summary>A running <c>kubectl get -w</c>: its output lines as they arrive.</summary>
public sealed class KubectlWatch : IDisposable
{
    private readonly Process process;
    private readonly StringBuilder output = new();
    private readonly StringBuilder error = new();

    public KubectlWatch(Process process)
    {
        this.process = process;
        process.OutputDataReceived += (_, line) =>
        {
            lock (output)
            {
                output.AppendLine(line.Data);
            }
        };
        process.ErrorDataReceived += (_, line) =>
        {
            lock (error)
            {
                error.AppendLine(line.Data);
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

    /// <summary>Waits until the output satisfies <paramref name="condition"/> (fails the test after 20 s).</summary>
    public async Task WaitForAsync(Func<string, bool> condition, string what)
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (!condition(Output))
        {
            if (DateTime.UtcNow > deadline || process.HasExited)
            {
                throw new TimeoutException($"kubectl watch never showed {what}; output:\n{Output}\nstderr:\n{Error}");
            }

            await Task.Delay(50);
        }
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
