using System.Diagnostics;

namespace GitOpsReverser.TestServers;

/// <summary>
/// A real OpenSSH sshd on 127.0.0.1 with key-only authentication, serving bare repositories to the
/// current user. As root it runs under <c>unshare -m</c> with a private /run (sshd needs /run/sshd),
/// leaving the host untouched. Stopped by process id.
/// </summary>
public sealed class SshGitServer : IDisposable
{
    private readonly TempDirectory directory = new("git-ssh-");
    private readonly Process sshd;

    /// <param name="gitShell">Whether logins get only what <c>git-shell</c> allows (git's programs), as on a hosted Git server.</param>
    /// <param name="noThin">Whether receive-pack advertises <c>no-thin</c> and refuses thin packs.</param>
    public SshGitServer(bool gitShell = false, bool noThin = false)
    {
        Port = LoopbackPorts.Free();
        User = Environment.UserName;
        var hostKey = directory.Combine("host_ed25519");
        Keygen(hostKey);
        Keygen(directory.Combine("client_ed25519"));
        Keygen(directory.Combine("other_ed25519"));
        File.Copy(directory.Combine("client_ed25519.pub"), directory.Combine("authorized_keys"));
        var hostPublic = File.ReadAllText(hostKey + ".pub").Split(' ');
        KnownHosts = $"[127.0.0.1]:{Port} {hostPublic[0]} {hostPublic[1]}\n";
        var otherPublic = File.ReadAllText(directory.Combine("other_ed25519.pub")).Split(' ');
        WrongKnownHosts = $"[127.0.0.1]:{Port} {otherPublic[0]} {otherPublic[1]}\n";
        ClientKey = File.ReadAllText(directory.Combine("client_ed25519"));
        OtherKey = File.ReadAllText(directory.Combine("other_ed25519"));
        RepositoriesRoot = directory.Combine("repos");
        Directory.CreateDirectory(RepositoriesRoot);
        var config = directory.Combine("sshd_config");
        var noThinCommand = directory.Combine("no-thin.sh");
        File.WriteAllText(noThinCommand, """
            #!/bin/sh
            case "$SSH_ORIGINAL_COMMAND" in
              git-receive-pack\ *) eval "exec git receive-pack --reject-thin-pack-for-testing ${SSH_ORIGINAL_COMMAND#git-receive-pack }" ;;
              *) eval "exec $SSH_ORIGINAL_COMMAND" ;;
            esac
            """);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(noThinCommand, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }

        var forceCommand = gitShell ? "ForceCommand /usr/bin/git-shell -c \"$SSH_ORIGINAL_COMMAND\"" : noThin ? $"ForceCommand {noThinCommand}" : "";
        File.WriteAllText(config, $"""
            Port {Port}
            ListenAddress 127.0.0.1
            HostKey {hostKey}
            PidFile {directory.Combine("sshd.pid")}
            AuthorizedKeysFile {directory.Combine("authorized_keys")}
            PubkeyAuthentication yes
            PasswordAuthentication no
            KbdInteractiveAuthentication no
            UsePAM no
            StrictModes no
            PermitRootLogin prohibit-password
            LogLevel ERROR
            {forceCommand}
            """);
        var start = Environment.UserName == "root"
            ? new ProcessStartInfo("unshare", ["-m", "sh", "-c", $"mount -t tmpfs tmpfs /run && mkdir -p /run/sshd && exec /usr/sbin/sshd -D -e -f '{config}'"])
            : new ProcessStartInfo("/usr/sbin/sshd", ["-D", "-e", "-f", config]);
        start.RedirectStandardError = true;
        start.RedirectStandardOutput = true;
        sshd = Process.Start(start)!;
        sshd.BeginErrorReadLine();
        sshd.BeginOutputReadLine();
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (!LoopbackPorts.Accepts(Port))
        {
            if (DateTime.UtcNow > deadline || sshd.HasExited)
            {
                throw new InvalidOperationException("sshd did not come up");
            }

            Thread.Sleep(20);
        }
    }

    public int Port { get; }

    public string User { get; }

    public string KnownHosts { get; }

    /// <summary>known_hosts naming another key for this server: a man in the middle, as the client sees it.</summary>
    public string WrongKnownHosts { get; }

    public string ClientKey { get; }

    /// <summary>A private key the server does not accept.</summary>
    public string OtherKey { get; }

    public string RepositoriesRoot { get; }

    public string CreateRepository(string name) => GitCli.InitBare(Path.Combine(RepositoriesRoot, name));

    public string UrlFor(string name) =>
        $"ssh://{User}@127.0.0.1:{Port}{string.Join('/', Path.Combine(RepositoriesRoot, name).Split('/').Select(Uri.EscapeDataString))}";

    /// <summary>The URL with its path as users paste it: not escaped (spaces as they are).</summary>
    public string UnescapedUrlFor(string name) => $"ssh://{User}@127.0.0.1:{Port}{Path.Combine(RepositoriesRoot, name)}";

    public void Dispose()
    {
        if (!sshd.HasExited)
        {
            sshd.Kill(entireProcessTree: true);
            sshd.WaitForExit();
        }

        sshd.Dispose();
        directory.Dispose();
    }

    private static void Keygen(string path)
    {
        using var process = Process.Start(new ProcessStartInfo("ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-f", path])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        })!;
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"ssh-keygen failed: {process.StandardError.ReadToEnd()}");
        }
    }
}
