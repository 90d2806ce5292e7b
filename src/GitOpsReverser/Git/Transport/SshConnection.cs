using Renci.SshNet;
using Renci.SshNet.Common;

namespace GitOpsReverser.Git.Transport;

/// <summary>
/// An SSH connection for git (SSH.NET): the host key pinned from known_hosts (fail-closed), the key from
/// the Secret used without writing it to disk, and failures worded so they can be classified.
/// </summary>
internal static class SshConnection
{
    /// <summary>Connects to <paramref name="uri"/>'s host with <paramref name="credentials"/>.</summary>
    public static SshClient Open(Uri uri, GitCredentials credentials)
    {
        if (string.IsNullOrWhiteSpace(credentials.KnownHosts))
        {
            throw new InvalidOperationException("SSH host key verification failed: known_hosts is required in the Secret and is missing");
        }

        if (credentials.SshPrivateKey is null)
        {
            throw new InvalidOperationException("SSH authentication failed: the Secret has no ssh-privatekey (or identity)");
        }

        var knownHosts = new KnownHosts(credentials.KnownHosts);
        var port = uri.IsDefaultPort || uri.Port < 0 ? 22 : uri.Port;
        var user = uri.UserInfo.Length > 0 ? Uri.UnescapeDataString(uri.UserInfo) : credentials.Username ?? "git";
        using var keyStream = new MemoryStream(System.Text.Encoding.UTF8.GetBytes(credentials.SshPrivateKey));
        var key = new PrivateKeyFile(keyStream, credentials.Password);
        var connection = new ConnectionInfo(uri.Host, port, user, new PrivateKeyAuthenticationMethod(user, key))
        {
            Timeout = TimeSpan.FromSeconds(15),
        };
        var client = new SshClient(connection);
        var hostKeyRejected = false;
        client.HostKeyReceived += (_, e) =>
        {
            e.CanTrust = knownHosts.Trusts(uri.Host, port, e.HostKey);
            hostKeyRejected = !e.CanTrust;
        };
        try
        {
            client.Connect();
            return client;
        }
        catch (Exception exception) when (hostKeyRejected)
        {
            client.Dispose();
            throw new InvalidOperationException($"SSH host key verification failed: the {uri.Host}:{port} host key is not in known_hosts", exception);
        }
        catch (SshAuthenticationException exception)
        {
            client.Dispose();
            throw new InvalidOperationException($"SSH authentication failed for {user}@{uri.Host}: {exception.Message}", exception);
        }
        catch
        {
            client.Dispose();
            throw;
        }
    }

    /// <summary>The command line running <paramref name="program"/> on the repository <paramref name="uri"/> names.</summary>
    public static string Command(Uri uri, string program) =>
        $"{program} '{SshRemoteUrl.RemotePath(uri).Replace("'", "'\\''", StringComparison.Ordinal)}'";
}
