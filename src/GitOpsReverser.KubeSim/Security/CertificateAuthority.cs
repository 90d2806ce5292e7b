using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace GitOpsReverser.KubeSim.Security;

/// <summary>
/// A CA generated at start-up and the serving certificate it signs for 127.0.0.1, localhost and any
/// further addresses KubeSim listens on.
/// Clients trust the CA through the kubeconfig's <c>certificate-authority-data</c>.
/// </summary>
internal sealed class CertificateAuthority : IDisposable
{
    private CertificateAuthority(X509Certificate2 ca, X509Certificate2 serving)
    {
        Certificate = ca;
        ServingCertificate = serving;
    }

    public X509Certificate2 Certificate { get; }

    public X509Certificate2 ServingCertificate { get; }

    public string CertificatePem => Certificate.ExportCertificatePem();

    public static CertificateAuthority Create(string commonName = "kubesim-ca", IEnumerable<IPAddress>? moreAddresses = null, IEnumerable<string>? moreNames = null)
    {
        var now = DateTimeOffset.UtcNow;
        using var caKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var caRequest = new CertificateRequest($"CN={commonName}", caKey, HashAlgorithmName.SHA256);
        caRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        caRequest.CertificateExtensions.Add(new X509KeyUsageExtension(
            X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign | X509KeyUsageFlags.DigitalSignature, true));
        caRequest.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(caRequest.PublicKey, false));
        using var ca = caRequest.CreateSelfSigned(now.AddMinutes(-5), now.AddYears(1));

        using var servingKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var servingRequest = new CertificateRequest("CN=kubesim", servingKey, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Loopback);
        names.AddDnsName("localhost");
        foreach (var address in moreAddresses ?? [])
        {
            names.AddIpAddress(address);
        }

        foreach (var name in moreNames ?? [])
        {
            names.AddDnsName(name);
        }
        servingRequest.CertificateExtensions.Add(names.Build());
        servingRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, false));
        servingRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        servingRequest.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension(
            [new Oid("1.3.6.1.5.5.7.3.1")], false));
        var serial = RandomNumberGenerator.GetBytes(16);
        serial[0] &= 0x7f;
        using var issued = servingRequest.Create(ca, now.AddMinutes(-5), now.AddDays(300), serial);
        using var withKey = issued.CopyWithPrivateKey(servingKey);

        // Kestrel wants a certificate whose key it can use on every platform: round-trip through PKCS#12.
        var serving = X509CertificateLoader.LoadPkcs12(withKey.Export(X509ContentType.Pkcs12), null);
        var caPublic = X509CertificateLoader.LoadCertificate(ca.Export(X509ContentType.Cert));
        return new CertificateAuthority(caPublic, serving);
    }

    public void Dispose()
    {
        Certificate.Dispose();
        ServingCertificate.Dispose();
    }
}
