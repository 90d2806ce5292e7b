using System.Collections.Concurrent;
using LibGit2Sharp;
using Renci.SshNet;
using Renci.SshNet.Common;

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

        if (string.IsNullOrWhiteSpace(credentials.KnownHosts))
        {
            throw new InvalidOperationException("SSH host key verification failed: known_hosts is required in the Secret and is missing");
        }

        if (credentials.SshPrivateKey is null)
        {
            throw new InvalidOperationException("SSH authentication failed: the Secret has no ssh-privatekey (or identity)");
        }

        if (client is null)
        {
            var knownHosts = new KnownHosts(credentials.KnownHosts);
            var port = uri.IsDefaultPort || uri.Port < 0 ? 22 : uri.Port;
            var user = uri.UserInfo.Length > 0 ? Uri.UnescapeDataString(uri.UserInfo) : credentials.Username ?? "git";
            using var keyStream = new MemoryStream(System.Text.Encoding.UTF8.GetBytes(credentials.SshPrivateKey));
            var key = new PrivateKeyFile(keyStream, credentials.Password);
            var connection = new ConnectionInfo(uri.Host, port, user, new PrivateKeyAuthenticationMethod(user, key))
            {
                Timeout = TimeSpan.FromSeconds(15),
            };
            client = new SshClient(connection);
            var hostKeyRejected = false;
            client.HostKeyReceived += (_, e) =>
            {
                e.CanTrust = knownHosts.Trusts(uri.Host, port, e.HostKey);
                hostKeyRejected = !e.CanTrust;
            };
            try
            {
                client.Connect();
            }
            catch (Exception exception) when (hostKeyRejected)
            {
                throw new InvalidOperationException(
                    $"SSH host key verification failed: the {uri.Host}:{port} host key is not in known_hosts", exception);
            }
            catch (SshAuthenticationException exception)
            {
                throw new InvalidOperationException($"SSH authentication failed for {user}@{uri.Host}: {exception.Message}", exception);
            }
        }

        var path = SshRemoteUrl.RemotePath(uri).Replace("'", "'\\''", StringComparison.Ordinal);
        return new ExecStream(this, client.CreateCommand($"{program} '{path}'"));
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
