namespace GitOpsReverser.Git;

/// <summary>
/// A connection to a remote's <c>git-receive-pack</c>: over smart HTTP, SSH, or a local git process.
/// First the advertisement is read from <see cref="Advertise"/>; then the commands and the pack go
/// out through <see cref="Send"/>, which returns the stream carrying the server's report.
/// </summary>
internal abstract class ReceivePackTransport : IDisposable
{
    /// <summary>The stream the ref advertisement arrives on.</summary>
    public abstract Stream Advertise();

    /// <summary>Sends <paramref name="request"/> (pkt-line commands, a flush, the pack); returns the stream the report arrives on.</summary>
    public abstract Stream Send(ArraySegment<byte> request);

    /// <summary>After the report: waits for the remote program to end and throws when it failed.</summary>
    public virtual void Finish()
    {
    }

    /// <summary>What the remote program printed on its error output, for failure messages; empty when nothing.</summary>
    public virtual string ErrorOutput => "";

    /// <summary>The transport for <paramref name="url"/>: https:// and http://, ssh:// (normalized), or a local path or file:// URL.</summary>
    public static ReceivePackTransport For(string url, GitCredentials credentials, Func<HttpClient> http)
    {
        if (url.StartsWith("https://", StringComparison.OrdinalIgnoreCase) || url.StartsWith("http://", StringComparison.OrdinalIgnoreCase))
        {
            return new HttpReceivePack(url, credentials, http());
        }

        if (SshRemoteUrl.IsSsh(url))
        {
            return new SshReceivePack(new Uri(SshRemoteUrl.Normalize(url)), credentials);
        }

        return new LocalReceivePack(url.StartsWith("file://", StringComparison.OrdinalIgnoreCase) ? new Uri(url).LocalPath : url);
    }

    public abstract void Dispose();
}
