using System.Net.Security;
using System.Security.Cryptography.X509Certificates;

namespace GitOpsReverser.Hosting;

/// <summary>Server certificate checks against a CA bundle of one's own instead of the system store (a cluster's CA, a Git server's caFile).</summary>
internal static class TlsTrust
{
    /// <summary>Accepts a certificate for the host it was asked for that chains to one of <paramref name="roots"/>; revocation is not checked.</summary>
    public static RemoteCertificateValidationCallback CustomRoots(X509Certificate2Collection roots) => (_, certificate, _, errors) =>
    {
        if (certificate is null || (errors & (SslPolicyErrors.RemoteCertificateNameMismatch | SslPolicyErrors.RemoteCertificateNotAvailable)) != 0)
        {
            return false;
        }

        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.AddRange(roots);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        using var leaf = X509CertificateLoader.LoadCertificate(certificate.GetRawCertData());
        return chain.Build(leaf);
    };
}
