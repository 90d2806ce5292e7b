using System.Net.Security;
using System.Security.Cryptography.X509Certificates;

namespace GitOpsReverser.Kube;

/// <summary>
/// The one server-certificate check against a CA bundle of one's own instead of the system store, for
/// the Kubernetes API (a cluster's CA) and Git servers (a Secret's <c>caFile</c>) alike.
/// </summary>
internal static class TlsTrust
{
    /// <summary>The certificates of a PEM bundle.</summary>
    public static X509Certificate2Collection ReadRoots(string pem)
    {
        var roots = new X509Certificate2Collection();
        roots.ImportFromPem(pem);
        return roots;
    }

    /// <summary>
    /// Whether <paramref name="certificate"/> chains to one of <paramref name="roots"/> and, when
    /// <paramref name="host"/> is given, was issued for it. Revocation is not checked.
    /// </summary>
    public static bool Trusts(X509Certificate2Collection roots, X509Certificate certificate, string? host)
    {
        using var leaf = X509CertificateLoader.LoadCertificate(certificate.GetRawCertData());
        if (host is not null && !leaf.MatchesHostname(host))
        {
            return false;
        }

        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.AddRange(roots);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        return chain.Build(leaf);
    }

    /// <summary><see cref="Trusts"/> for .NET's HTTP stack, which has checked the host name already.</summary>
    public static RemoteCertificateValidationCallback CustomRoots(X509Certificate2Collection roots) => (_, certificate, _, errors) =>
        certificate is not null
        && (errors & (SslPolicyErrors.RemoteCertificateNameMismatch | SslPolicyErrors.RemoteCertificateNotAvailable)) == 0
        && Trusts(roots, certificate, host: null);
}
