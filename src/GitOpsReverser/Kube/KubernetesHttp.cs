using System.Net.Http.Headers;
using System.Security.Cryptography.X509Certificates;
using k8s;

namespace GitOpsReverser.Kube;

/// <summary>
/// An <see cref="HttpClient"/> for raw list and watch requests, configured from a kubeconfig or the
/// in-cluster configuration as KubernetesClient reads it: the server's CA, client certificates, a
/// bearer token (refreshed through the token provider for exec and in-cluster tokens) or basic auth.
/// The reflectors use raw HTTP because KubernetesClient has no generic watch from a resourceVersion
/// for the core group.
/// </summary>
internal static class KubernetesHttp
{
    public static HttpClient Create(KubernetesClientConfiguration configuration)
    {
        var handler = new SocketsHttpHandler { PooledConnectionIdleTimeout = TimeSpan.FromMinutes(5) };
        if (configuration.SkipTlsVerify)
        {
            handler.SslOptions.RemoteCertificateValidationCallback = (_, _, _, _) => true;
        }
        else if (configuration.SslCaCerts is { Count: > 0 } trusted)
        {
            handler.SslOptions.RemoteCertificateValidationCallback = TlsTrust.CustomRoots(trusted);
        }

        if (configuration.ClientCertificateData is not null || configuration.ClientCertificateFilePath is not null)
        {
            handler.SslOptions.ClientCertificates = [ClientCertificate(configuration)];
        }

        var client = new HttpClient(new AuthenticationHandler(configuration) { InnerHandler = handler })
        {
            BaseAddress = new Uri(configuration.Host.TrimEnd('/') + "/"),
            Timeout = Timeout.InfiniteTimeSpan,
        };
        client.DefaultRequestHeaders.UserAgent.ParseAdd(configuration.UserAgent ?? "gitops-reverser");
        return client;
    }

    private static X509Certificate2 ClientCertificate(KubernetesClientConfiguration configuration)
    {
        using var certificate = configuration.ClientCertificateData is { } data
            ? X509Certificate2.CreateFromPem(
                System.Text.Encoding.UTF8.GetString(Convert.FromBase64String(data)),
                System.Text.Encoding.UTF8.GetString(Convert.FromBase64String(configuration.ClientCertificateKeyData ?? "")))
            : X509Certificate2.CreateFromPemFile(configuration.ClientCertificateFilePath!, configuration.ClientKeyFilePath);

        // SslStream wants a certificate whose key it can use on every platform: round-trip through PKCS#12.
        return X509CertificateLoader.LoadPkcs12(certificate.Export(X509ContentType.Pkcs12), null);
    }

    private sealed class AuthenticationHandler(KubernetesClientConfiguration configuration) : DelegatingHandler
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            if (configuration.TokenProvider is { } provider)
            {
                request.Headers.Authorization = await provider.GetAuthenticationHeaderAsync(cancellationToken);
            }
            else if (!string.IsNullOrEmpty(configuration.AccessToken))
            {
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", configuration.AccessToken);
            }
            else if (!string.IsNullOrEmpty(configuration.Username))
            {
                var basic = Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes($"{configuration.Username}:{configuration.Password}"));
                request.Headers.Authorization = new AuthenticationHeaderValue("Basic", basic);
            }

            return await base.SendAsync(request, cancellationToken);
        }
    }
}
