using System.Collections.Concurrent;
using LibGit2Sharp;
using Renci.SshNet;

namespace GitOpsReverser.Git;

/// <summary>
/// Git over SSH in managed code (SSH.NET), registered with libgit2 for <c>ssh://</c>. libgit2's own SSH
/// support runs an <c>ssh</c> binary that cannot be given arguments and whose errors are lost; this
/// transport pins host keys from known_hosts (fail-closed), authenticates with the key from the
/// Secret without writing it to disk, and reports what failed. libgit2 creates instances with
/// <c>new()</c>, so each remote's credentials are looked up in a static table by URL.
/// </summary>
internal sealed class SshSmartSubtransport : SmartSubtransport
{
    private static readonly ConcurrentDictionary<string, GitCredentials> CredentialsByUrl = new(StringComparer.Ordinal);
    private static int registered;

    private SshClient? client;
    private ExecStream? current;

    /// <summary>Registers the transport once per process and the credentials for <paramref name="url"/>.</summary>
    public static void Use(string url, GitCredentials credentials)
    {
        if (Interlocked.Exchange(ref registered, 1) == 0)
        {
            GlobalSettings.RegisterSmartSubtransport<SshSmartSubtransport>("ssh");
        }

        CredentialsByUrl[url] = credentials;
    }

    protected override SmartSubtransportStream Action(string url, GitSmartSubtransportAction action)
    {
        switch (action)
        {
            case GitSmartSubtransportAction.UploadPackList:
                current = Start(url, "git-upload-pack");
                return current;
            case GitSmartSubtransportAction.ReceivePackList:
                current = Start(url, "git-receive-pack");
                return current;
            case GitSmartSubtransportAction.UploadPack:
                return current ?? Start(url, "git-upload-pack");
            case GitSmartSubtransportAction.ReceivePack:
                return current ?? Start(url, "git-receive-pack");
            default:
                throw new InvalidOperationException($"unsupported git transport action {action}");
        }
    }

    protected override void Close()
    {
        current?.Dispose();
        current = null;
        client?.Dispose();
        client = null;
    }

    private ExecStream Start(string url, string program)
    {
        current?.Dispose();
        var uri = new Uri(url);
        if (!CredentialsByUrl.TryGetValue(url, out var credentials))
        {
            throw new InvalidOperationException($"no SSH credentials are registered for {url}");
        }

        client ??= SshConnection.Open(uri, credentials);
        return new ExecStream(this, client.CreateCommand(SshConnection.Command(uri, program)));
    }

    /// <summary>One remote git program's standard input and output.</summary>
    private sealed class ExecStream : SmartSubtransportStream, IDisposable
    {
        private readonly SshCommand command;
        private readonly Stream input;
        private readonly IAsyncResult execution;

        public ExecStream(SshSmartSubtransport parent, SshCommand command)
            : base(parent)
        {
            this.command = command;
            execution = command.BeginExecute();
            input = command.CreateInputStream();
        }

        public override int Read(Stream dataStream, long length, out long bytesRead)
        {
            var buffer = new byte[Math.Min(length, 65536)];
            var read = command.OutputStream.Read(buffer, 0, buffer.Length);
            if (read == 0 && execution.IsCompleted && command.ExitStatus is { } status and not 0)
            {
                throw new InvalidOperationException($"the remote git program failed ({status}): {command.Error.Trim()}");
            }

            dataStream.Write(buffer, 0, read);
            bytesRead = read;
            return 0;
        }

        public override int Write(Stream dataStream, long length)
        {
            var buffer = new byte[65536];
            var left = length;
            while (left > 0)
            {
                var read = dataStream.Read(buffer, 0, (int)Math.Min(buffer.Length, left));
                if (read == 0)
                {
                    break;
                }

                input.Write(buffer, 0, read);
                left -= read;
            }

            input.Flush();
            return 0;
        }

        public void Dispose()
        {
            input.Dispose();
            command.Dispose();
        }
    }
}
