using System.Text.Json;
using LibGit2Sharp;
using Renci.SshNet;

namespace GitOpsReverser.Git.Transport;

/// <summary>
/// Git over SSH in managed code (SSH.NET), registered with libgit2 for <c>ssh://</c>. libgit2's own SSH
/// support runs an <c>ssh</c> binary that cannot be given arguments and whose errors are lost; this
/// transport pins host keys from known_hosts (fail-closed), authenticates with the key from the
/// Secret without writing it to disk, and reports what failed. libgit2 creates instances with
/// <c>new()</c> and shares nothing with them but the operation: the key comes from that operation's own
/// credentials callback (<see cref="ForOperation"/>, asked through libgit2), so credentials belong to the
/// repository whose fetch or push this is, never to a URL or a table another repository could reach.
/// </summary>
internal sealed class SshSmartSubtransport : SmartSubtransport
{
    // Marks the credentials of ForOperation, so a plain username and password are never taken for a key.
    private const string Marker = "gitops-reverser-ssh-credentials";

    private static int registered;

    private SshClient? client;
    private ExecStream? current;

    /// <summary>Registers the transport for <c>ssh://</c>, once per process.</summary>
    public static void Register()
    {
        if (Interlocked.Exchange(ref registered, 1) == 0)
        {
            GlobalSettings.RegisterSmartSubtransport<SshSmartSubtransport>("ssh");
        }
    }

    /// <summary>
    /// What an SSH fetch or push's credentials callback answers: <paramref name="credentials"/>, carried through
    /// libgit2 to this operation's transport (libgit2 copies it and wipes the copy when the operation ends).
    /// </summary>
    public static UsernamePasswordCredentials ForOperation(GitCredentials credentials) => new()
    {
        Username = Marker,
        Password = JsonSerializer.Serialize(new[]
        {
            credentials.SshPrivateKey ?? "", credentials.Password ?? "", credentials.KnownHosts ?? "", credentials.Username ?? "",
        }),
    };

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
        client ??= SshConnection.Open(uri, OperationCredentials(uri));
        return new ExecStream(this, client.CreateCommand(SshConnection.Command(uri, program)));
    }

    // The credentials of the fetch or push this transport runs for, from its own callback; none: nothing connects.
    private GitCredentials OperationCredentials(Uri uri)
    {
        if (AcquireCredentials(out var given, Uri.UnescapeDataString(uri.UserInfo), typeof(UsernamePasswordCredentials)) != 0
            || given is not UsernamePasswordCredentials { Username: Marker } marked
            || JsonSerializer.Deserialize<string[]>(marked.Password) is not [var key, var passphrase, var knownHosts, var username])
        {
            throw new InvalidOperationException("SSH authentication failed: the GitRepoConfig has no Secret with an ssh-privatekey for this repository");
        }

        return new GitCredentials
        {
            SshPrivateKey = key.Length == 0 ? null : key,
            Password = passphrase.Length == 0 ? null : passphrase,
            KnownHosts = knownHosts.Length == 0 ? null : knownHosts,
            Username = username.Length == 0 ? null : username,
        };
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
