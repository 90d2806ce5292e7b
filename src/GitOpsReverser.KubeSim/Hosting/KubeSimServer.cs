using System.Net;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json.Nodes;
using GitOpsReverser.KubeSim.Admission;
using GitOpsReverser.KubeSim.Api;
using GitOpsReverser.KubeSim.Faults;
using GitOpsReverser.KubeSim.Security;
using GitOpsReverser.KubeSim.Storage;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace GitOpsReverser.KubeSim.Hosting;

/// <summary>
/// A running KubeSim: Kestrel on 127.0.0.1 (HTTPS with a generated CA unless plain HTTP is asked
/// for), the object store, and the C# handles tests use (faults, tokens, the kubeconfig).
/// </summary>
internal sealed class KubeSimServer : IAsyncDisposable
{
    private static readonly string[] InitialNamespaces = ["default", "kube-system", "kube-public", "kube-node-lease"];

    private readonly WebApplication app;
    private readonly CertificateAuthority? certificateAuthority;

    private KubeSimServer(WebApplication app, CertificateAuthority? certificateAuthority, ObjectStore store, FaultInjector faults,
        Authenticator authenticator, ResourceCatalog catalog)
    {
        this.app = app;
        this.certificateAuthority = certificateAuthority;
        Store = store;
        Faults = faults;
        Authenticator = authenticator;
        Catalog = catalog;
    }

    /// <summary>The server's base address, e.g. <c>https://127.0.0.1:43117</c>.</summary>
    public Uri Url { get; private set; } = null!;

    public ObjectStore Store { get; }

    public FaultInjector Faults { get; }

    public Authenticator Authenticator { get; }

    public ResourceCatalog Catalog { get; }

    /// <summary>The CA that signed the serving certificate (PEM), or null over plain HTTP.</summary>
    public string? CaPem => certificateAuthority?.CertificatePem;

    /// <summary>An HTTP handler for clients in the same process: it trusts this server's CA and nothing else.</summary>
    public SocketsHttpHandler CreateClientHandler()
    {
        var handler = new SocketsHttpHandler { MaxConnectionsPerServer = 64 };
        if (certificateAuthority is { } authority)
        {
            var ca = X509CertificateLoader.LoadCertificate(authority.Certificate.RawData);
            handler.SslOptions.RemoteCertificateValidationCallback = (_, certificate, _, _) =>
            {
                using var chain = new X509Chain();
                chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
                chain.ChainPolicy.CustomTrustStore.Add(ca);
                chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
                return certificate is not null && chain.Build(X509CertificateLoader.LoadCertificate(certificate.GetRawCertData()));
            };
        }

        return handler;
    }

    /// <summary>A kubeconfig for the default token (or <paramref name="token"/>).</summary>
    public string Kubeconfig(string? token = null) => Hosting.Kubeconfig.Render(Url, CaPem, token ?? Authenticator.DefaultToken);

    public static async Task<KubeSimServer> StartAsync(KubeSimOptions options, CancellationToken cancellationToken = default)
    {
        var users = options.UsersFile is null ? null : UsersFile.Load(options.UsersFile);
        var catalog = new ResourceCatalog();
        var store = new ObjectStore(options.HistoryLimit);
        var authenticator = new Authenticator(users, new ServiceAccountTokens(store, TimeProvider.System));
        var authorizer = new Authorizer(authenticator, new RbacAuthorizer(store));
        var faults = new FaultInjector(store);
        var writer = new ObjectWriter(store, catalog, new AdmissionDispatcher(store), TimeProvider.System);
        var api = new ApiServer(catalog, store, writer, authenticator, authorizer, faults, options, TimeProvider.System);
        var certificateAuthority = options.PlainHttp ? null : CertificateAuthority.Create(moreAddresses: options.MoreAddresses);

        // Every address shares one port: pick it first when more than one listener needs it.
        var port = options.Port == 0 && options.MoreAddresses.Count > 0 ? FreePort() : options.Port;

        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.Services.Configure<KestrelServerOptions>(kestrel =>
        {
            kestrel.Limits.MaxRequestBodySize = 64 * 1024 * 1024;
            foreach (var address in options.MoreAddresses.Prepend(IPAddress.Loopback))
            {
                kestrel.Listen(address, port, listen =>
                {
                    listen.Protocols = HttpProtocols.Http1AndHttp2;
                    if (certificateAuthority is not null)
                    {
                        listen.UseHttps(certificateAuthority.ServingCertificate);
                    }
                });
            }
        });
        var app = builder.Build();
        app.Run(api.HandleAsync);
        await app.StartAsync(cancellationToken);

        var server = new KubeSimServer(app, certificateAuthority, store, faults, authenticator, catalog);
        var address = app.Services.GetRequiredService<Microsoft.AspNetCore.Hosting.Server.IServer>()
            .Features.Get<IServerAddressesFeature>()!.Addresses.First(address => address.Contains("127.0.0.1", StringComparison.Ordinal));
        server.Url = new Uri(address.Replace("[::]", "127.0.0.1", StringComparison.Ordinal));
        api.ServerAddress = $"127.0.0.1:{server.Url.Port}";

        var admin = new WriteContext(new UserInfo("system:apiserver", ["system:masters"], "apiserver"), "kube-apiserver", "Strict", false, false);
        var namespaces = catalog.Find("", "v1", "namespaces")!;
        foreach (var name in InitialNamespaces)
        {
            var ns = new JsonObject { ["apiVersion"] = "v1", ["kind"] = "Namespace", ["metadata"] = new JsonObject { ["name"] = name } };
            ns["metadata"]!["labels"] = new JsonObject { ["kubernetes.io/metadata.name"] = name };
            await writer.CreateAsync(namespaces, "", ns, admin, cancellationToken);
        }

        // The API server's own Service, at the first address of the service range.
        await writer.CreateAsync(catalog.Find("", "v1", "services")!, "default", new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "Service",
            ["metadata"] = new JsonObject
            {
                ["name"] = "kubernetes",
                ["labels"] = new JsonObject { ["component"] = "apiserver", ["provider"] = "kubernetes" },
            },
            ["spec"] = new JsonObject
            {
                ["clusterIP"] = "10.96.0.1",
                ["ports"] = new JsonArray(new JsonObject { ["name"] = "https", ["port"] = 443, ["protocol"] = "TCP", ["targetPort"] = 6443 }),
                ["sessionAffinity"] = "None",
                ["type"] = "ClusterIP",
            },
        }, admin, cancellationToken);

        foreach (var (plural, objects) in new[] { ("clusterroles", BootstrapPolicy.ClusterRoles()), ("clusterrolebindings", BootstrapPolicy.ClusterRoleBindings()) })
        {
            var type = catalog.Find("rbac.authorization.k8s.io", "v1", plural)!;
            foreach (var obj in objects)
            {
                await writer.CreateAsync(type, "", obj, admin, cancellationToken);
            }
        }

        return server;
    }

    private static int FreePort()
    {
        using var listener = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public async ValueTask DisposeAsync()
    {
        Store.CloseAllWatches();
        await app.StopAsync(TimeSpan.FromSeconds(5));
        await app.DisposeAsync();
        certificateAuthority?.Dispose();
    }
}
