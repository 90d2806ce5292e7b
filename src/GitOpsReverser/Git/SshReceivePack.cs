using Renci.SshNet;

namespace GitOpsReverser.Git;

/// <summary><c>git-receive-pack</c> run over SSH (SSH.NET), with the host key pinned and the key from the Secret.</summary>
internal sealed class SshReceivePack(Uri uri, GitCredentials credentials) : ReceivePackTransport
{
    private SshClient? client;
    private SshCommand? command;
    private IAsyncResult? execution;
    private Task? writing;

    public override Stream Advertise()
    {
        client = SshConnection.Open(uri, credentials);
        command = client.CreateCommand(SshConnection.Command(uri, "git-receive-pack"));
        execution = command.BeginExecute();
        return command.OutputStream;
    }

    public override Stream Send(ArraySegment<byte> request)
    {
        var running = command ?? throw new InvalidOperationException("Advertise first");
        writing = Task.Run(() =>
        {
            using var input = running.CreateInputStream();
            input.Write(request);
        });
        return running.OutputStream;
    }

    public override void Finish()
    {
        writing?.GetAwaiter().GetResult();
        if (command is { } running && execution is { } started && started.AsyncWaitHandle.WaitOne(TimeSpan.FromSeconds(30)))
        {
            running.EndExecute(started);
            if (running.ExitStatus is { } status and not 0)
            {
                throw new InvalidOperationException($"git-receive-pack failed ({status}): {ErrorOutput}");
            }
        }
    }

    public override string ErrorOutput => execution is { IsCompleted: true } && command is { } running ? running.Error.Trim() : "";

    public override void Dispose()
    {
        command?.Dispose();
        client?.Dispose();
    }
}
