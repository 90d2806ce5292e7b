
namespace GitOpsReverser.Kube;

/// <summary>A reflector and the task running it, stopped by cancelling <see cref="Stop"/>.</summary>
internal sealed class RunningReflector(Reflector reflector, CancellationTokenSource stop) : IAsyncDisposable
{
    public Reflector Reflector => reflector;

    public CancellationTokenSource Stop => stop;

    public Task? Run { get; private set; }

    public void Start() => Run = Task.Run(() => reflector.RunAsync(stop.Token));

    public async ValueTask DisposeAsync()
    {
        await stop.CancelAsync();
        if (Run is not null)
        {
            await Run;
        }

        stop.Dispose();
    }
}
