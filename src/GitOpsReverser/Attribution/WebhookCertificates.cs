using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;

namespace GitOpsReverser.Attribution;

/// <summary>
/// The attribution webhook's TLS: a self-signed CA and a serving certificate (one year, ECDSA P-256) kept
/// in the Secret <c>gitops-reverser-webhook-tls</c> of the operator's namespace, so every replica serves the
/// same certificate and the registration's <c>caBundle</c> fits them all. The first replica makes it;
/// within 30 days of expiry the next check makes a new one (a replica that loses the race reads the
/// winner's). Kestrel asks <see cref="Current"/> for every new connection.
/// </summary>
internal sealed partial class WebhookCertificates(HttpClient http, AttributionOptions options, TimeProvider time, ILogger<WebhookCertificates> logger)
{
    public const string SecretName = "gitops-reverser-webhook-tls";
    private static readonly TimeSpan Lifetime = TimeSpan.FromDays(365);
    private static readonly TimeSpan RenewBefore = TimeSpan.FromDays(30);

    private volatile Pair? current;

    /// <summary>The serving certificate with its key; null until <see cref="EnsureAsync"/> ran.</summary>
    public X509Certificate2? Current => current?.Serving;

    /// <summary>The serving certificate's SHA-256 thumbprint: the webhook's capability is made anew when it changes.</summary>
    public string? CertificateId => current?.Serving.GetCertHashString(HashAlgorithmName.SHA256);

    /// <summary>The CA's PEM, base64, as a webhook configuration's <c>caBundle</c>.</summary>
    public string? CaBundle => current is { } pair ? Convert.ToBase64String(Encoding.ASCII.GetBytes(pair.CaPem)) : null;

    private string Namespace => options.Namespace;

    private string Name => options.WebhookCertificateSecret ?? SecretName;

    private string SecretPath => $"api/v1/namespaces/{Namespace}/secrets/{Name}";

    /// <summary>Loads the Secret's certificate, or makes (or renews) one and stores it.</summary>
    public async Task EnsureAsync(CancellationToken cancellationToken)
    {
        if (options.WebhookCertificateSecret is not null)
        {
            await LoadKeptAsync(cancellationToken);
            return;
        }

        if (current is { } loaded && loaded.Serving.NotAfter - time.GetUtcNow().UtcDateTime > RenewBefore)
        {
            return;
        }

        for (var attempt = 0; attempt < 3; attempt++)
        {
            var secret = await OperatorSecret.ReadAsync(http, Namespace, Name, cancellationToken);
            if (Read(secret) is { } stored && stored.Serving.NotAfter - time.GetUtcNow().UtcDateTime > RenewBefore && Covers(stored.Serving))
            {
                current = stored;
                return;
            }

            var made = Make();
            var data = new JsonObject
            {
                ["ca.crt"] = Convert.ToBase64String(Encoding.ASCII.GetBytes(made.CaPem)),
                ["tls.crt"] = Convert.ToBase64String(Encoding.ASCII.GetBytes(made.Serving.ExportCertificatePem())),
                ["tls.key"] = Convert.ToBase64String(Encoding.ASCII.GetBytes(made.Serving.GetECDsaPrivateKey()!.ExportPkcs8PrivateKeyPem())),
            };
            if (await OperatorSecret.WriteAsync(http, Namespace, SecretName, secret, "kubernetes.io/tls", data, cancellationToken))
            {
                current = made;
                Log.Made(logger, Namespace, SecretName, made.Serving.NotAfter);
                return;
            }

            // Another replica wrote it first: read theirs.
        }

        throw new InvalidOperationException($"the Secret {Namespace}/{SecretName} kept changing while the webhook certificate was written");
    }

    // A certificate someone else keeps (cert-manager renews it in place): read it every time.
    private async Task LoadKeptAsync(CancellationToken cancellationToken)
    {
        using var response = await http.GetAsync(SecretPath, cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"cannot read the webhook certificate's Secret {Namespace}/{Name}: {(int)response.StatusCode}");
        }

        current = Read(await response.Content.ReadFromJsonAsync<JsonObject>(cancellationToken))
            ?? throw new InvalidOperationException($"the Secret {Namespace}/{Name} has no tls.crt, tls.key and ca.crt that fit together");
    }

    // The names the API server may call the webhook by: the Service's, and the host of --webhook-url.
    private List<string> Names()
    {
        var names = new List<string> { $"{options.WebhookService}.{Namespace}.svc", $"{options.WebhookService}.{Namespace}.svc.cluster.local", "localhost" };
        if (options.WebhookUrl is { } url && Uri.TryCreate(url, UriKind.Absolute, out var uri))
        {
            names.Add(uri.Host);
        }

        return names;
    }

    private bool Covers(X509Certificate2 certificate) => Names().All(name => certificate.MatchesHostname(name));

    private Pair Make()
    {
        var now = time.GetUtcNow();
        using var caKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var caRequest = new CertificateRequest("CN=gitops-reverser-webhook-ca", caKey, HashAlgorithmName.SHA256);
        caRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, true, 0, true));
        caRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        using var ca = caRequest.CreateSelfSigned(now.AddMinutes(-5), now + Lifetime + TimeSpan.FromDays(1));

        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={options.WebhookService}.{Namespace}.svc", key, HashAlgorithmName.SHA256);
        var alternativeNames = new SubjectAlternativeNameBuilder();
        foreach (var name in Names())
        {
            if (IPAddress.TryParse(name, out var address))
            {
                alternativeNames.AddIpAddress(address);
            }
            else
            {
                alternativeNames.AddDnsName(name);
            }
        }

        alternativeNames.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(alternativeNames.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        var serial = RandomNumberGenerator.GetBytes(16);
        serial[0] &= 0x7F;
        using var signed = request.Create(ca, now.AddMinutes(-5), now + Lifetime, serial);
        return new Pair(ca.ExportCertificatePem(), Loadable(signed.CopyWithPrivateKey(key)));
    }

    private static Pair? Read(JsonObject? secret)
    {
        string? Value(string key) => secret?["data"]?[key] is JsonValue value && value.TryGetValue<string>(out var text)
            ? Encoding.ASCII.GetString(Convert.FromBase64String(text))
            : null;
        if (Value("ca.crt") is not { } ca || Value("tls.crt") is not { } certificate || Value("tls.key") is not { } key)
        {
            return null;
        }

        try
        {
            using var pem = X509Certificate2.CreateFromPem(certificate, key);
            return new Pair(ca, Loadable(pem));
        }
        catch (CryptographicException)
        {
            return null;
        }
    }

    // Certificates made in memory must be exported and loaded again before TLS can use their keys.
    private static X509Certificate2 Loadable(X509Certificate2 certificate)
    {
        using (certificate)
        {
            return X509CertificateLoader.LoadPkcs12(certificate.Export(X509ContentType.Pkcs12), null);
        }
    }

    private sealed record Pair(string CaPem, X509Certificate2 Serving);

    private static partial class Log
    {
        [LoggerMessage(Level = LogLevel.Information, Message = "Made the attribution webhook's certificate in the Secret {Namespace}/{Name}, valid until {NotAfter:u}")]
        public static partial void Made(ILogger logger, string @namespace, string name, DateTime notAfter);
    }
}
