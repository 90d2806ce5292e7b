using System.Text;

namespace GitOpsReverser.Git.Transport;

/// <summary>
/// How to reach a remote, read from a Kubernetes Secret's data with the key names Flux and Argo CD
/// use: <c>username</c> + <c>password</c> or <c>bearerToken</c> (HTTPS), <c>caFile</c> (a PEM CA bundle),
/// <c>ssh-privatekey</c> or <c>identity</c> with <c>known_hosts</c> (SSH). Never logged.
/// </summary>
internal sealed record GitCredentials
{
    public string? Username { get; init; }

    public string? Password { get; init; }

    public string? BearerToken { get; init; }

    public string? CaPem { get; init; }

    public string? SshPrivateKey { get; init; }

    public string? KnownHosts { get; init; }

    public static GitCredentials None { get; } = new();

    public static GitCredentials FromSecretData(IReadOnlyDictionary<string, byte[]> data)
    {
        string? Text(params string[] keys) =>
            keys.Select(key => data.TryGetValue(key, out var value) ? Encoding.UTF8.GetString(value) : null).FirstOrDefault(value => value is not null);

        return new GitCredentials
        {
            Username = Text("username"),
            Password = Text("password"),
            BearerToken = Text("bearerToken"),
            CaPem = Text("caFile", "ca.crt"),
            SshPrivateKey = Text("ssh-privatekey", "identity", "sshPrivateKey"),
            KnownHosts = Text("known_hosts"),
        };
    }

    /// <summary>Keeps credentials out of logs and exception messages.</summary>
    public override string ToString() =>
        $"GitCredentials(username: {(Username is null ? "none" : "set")}, password: {(Password is null ? "none" : "set")}, " +
        $"bearerToken: {(BearerToken is null ? "none" : "set")}, ssh key: {(SshPrivateKey is null ? "none" : "set")})";
}
