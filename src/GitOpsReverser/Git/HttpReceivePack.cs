using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using GitOpsReverser.Hosting;

namespace GitOpsReverser.Git;

/// <summary>
/// <c>git-receive-pack</c> over git's smart HTTP protocol (<c>gitprotocol-http</c>): the advertisement
/// from <c>GET info/refs?service=git-receive-pack</c>, the push as one <c>POST git-receive-pack</c>.
/// Credentials go in the Authorization header: basic for a username and password (or the URL's user
/// info), bearer for a token.
/// </summary>
internal sealed class HttpReceivePack : ReceivePackTransport
{
    private readonly HttpClient client;
    private readonly string baseUrl;
    private readonly AuthenticationHeaderValue? authorization;
    private HttpResponseMessage? advertisement;
    private HttpResponseMessage? result;

    public HttpReceivePack(string url, GitCredentials credentials, HttpClient client)
    {
        this.client = client;
        var uri = new Uri(url);
        baseUrl = new UriBuilder(uri) { UserName = "", Password = "" }.Uri.AbsoluteUri.TrimEnd('/');
        var (user, password) = uri.UserInfo.Length > 0 && credentials.Username is null && credentials.Password is null
            ? (Uri.UnescapeDataString(uri.UserInfo.Split(':', 2)[0]), uri.UserInfo.Contains(':') ? Uri.UnescapeDataString(uri.UserInfo.Split(':', 2)[1]) : "")
            : (credentials.Username, credentials.Password);
        authorization = credentials.BearerToken is { } token ? new AuthenticationHeaderValue("Bearer", token)
            : user is not null || password is not null ? new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user ?? "git"}:{password}")))
            : null;
    }

    /// <summary>The client pushes share: one connection pool, and the Secret's CA when it names one.</summary>
    public static HttpClient CreateClient(GitCredentials credentials)
    {
        var handler = new SocketsHttpHandler { ConnectTimeout = TimeSpan.FromSeconds(15), PooledConnectionIdleTimeout = TimeSpan.FromMinutes(1) };
        if (credentials.CaPem is { } pem)
        {
            var trusted = new X509Certificate2Collection();
            trusted.ImportFromPem(pem);
            handler.SslOptions.RemoteCertificateValidationCallback = TlsTrust.CustomRoots(trusted);
        }

        var client = new HttpClient(handler) { Timeout = TimeSpan.FromMinutes(5) };
        client.DefaultRequestHeaders.UserAgent.ParseAdd("git/2.0 (gitops-reverser)");
        return client;
    }

    public override Stream Advertise()
    {
        advertisement = Call(new HttpRequestMessage(HttpMethod.Get, $"{baseUrl}/info/refs?service=git-receive-pack"));
        if (advertisement.Content.Headers.ContentType?.MediaType != "application/x-git-receive-pack-advertisement")
        {
            throw new GitRemoteException(GitFailureKind.Configuration, "push", baseUrl,
                "the server does not speak git's smart HTTP protocol (no receive-pack advertisement at info/refs)");
        }

        return advertisement.Content.ReadAsStream();
    }

    public override Stream Send(ArraySegment<byte> request)
    {
        var message = new HttpRequestMessage(HttpMethod.Post, $"{baseUrl}/git-receive-pack") { Content = new ByteArrayContent(request.Array!, request.Offset, request.Count) };
        message.Content.Headers.ContentType = new MediaTypeHeaderValue("application/x-git-receive-pack-request");
        message.Headers.Accept.ParseAdd("application/x-git-receive-pack-result");
        result = Call(message);
        return result.Content.ReadAsStream();
    }

    public override void Dispose()
    {
        advertisement?.Dispose();
        result?.Dispose();
    }

    private HttpResponseMessage Call(HttpRequestMessage request)
    {
        request.Headers.Authorization = authorization;
        var response = client.Send(request, HttpCompletionOption.ResponseHeadersRead);
        if (response.IsSuccessStatusCode)
        {
            return response;
        }

        response.Dispose();
        var kind = response.StatusCode switch
        {
            HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden => GitFailureKind.Authentication,
            HttpStatusCode.NotFound => GitFailureKind.Configuration,
            _ => GitFailureKind.Transient,
        };
        throw new GitRemoteException(kind, "push", baseUrl, $"the server answered {(int)response.StatusCode} {response.ReasonPhrase} to {request.Method} {request.RequestUri?.AbsolutePath}");
    }
}
