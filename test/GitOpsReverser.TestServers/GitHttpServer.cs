using System.Diagnostics;
using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace GitOpsReverser.TestServers;

/// <summary>
/// A real smart-HTTP Git server on 127.0.0.1: nginx with basic auth in front of fcgiwrap running
/// <c>git http-backend</c>, over HTTP and over HTTPS (a certificate from a CA made for the test), and
/// under <c>/bearer/</c> with a bearer token instead of basic auth. Both servers run in their own
/// process groups and are stopped by process id.
/// </summary>
public sealed class GitHttpServer : IDisposable
{
    private readonly TempDirectory directory = new("git-http-");
    private readonly Process fcgiwrap;
    private readonly Process nginx;

    /// <param name="username">The basic-auth user.</param>
    /// <param name="password">Its password.</param>
    /// <param name="bearerToken">The token <c>/bearer/</c> accepts.</param>
    /// <param name="moreAddress">An address to listen on besides 127.0.0.1 (plain HTTP, the same port): a test's pod network.</param>
    public GitHttpServer(string username, string password, string bearerToken = "test-bearer-token", IPAddress? moreAddress = null)
    {
        RepositoriesRoot = directory.Combine("repos");
        Directory.CreateDirectory(RepositoriesRoot);
        foreach (var temp in new[] { "body", "fastcgi", "proxy", "uwsgi", "scgi" })
        {
            Directory.CreateDirectory(directory.Combine(temp));
        }

        File.WriteAllText(directory.Combine("htpasswd"), $"{username}:{{PLAIN}}{password}\n");
        var socket = directory.Combine("fcgiwrap.sock");
        Port = LoopbackPorts.Free();
        TlsPort = LoopbackPorts.Free();
        CaPem = WriteCertificates(directory.Combine("server.crt"), directory.Combine("server.key"));
        var backend = $"""
                  fastcgi_pass unix:{socket};
                  fastcgi_param SCRIPT_FILENAME /usr/lib/git-core/git-http-backend;
                  fastcgi_param GIT_PROJECT_ROOT {RepositoriesRoot};
                  fastcgi_param GIT_HTTP_EXPORT_ALL "";
                  fastcgi_param REMOTE_USER $remote_user;
                  fastcgi_param QUERY_STRING $query_string;
                  fastcgi_param REQUEST_METHOD $request_method;
                  fastcgi_param CONTENT_TYPE $content_type;
                  fastcgi_param CONTENT_LENGTH $content_length;
            """;
        var user = Environment.UserName == "root" ? "user root root;" : "";
        File.WriteAllText(directory.Combine("nginx.conf"), $$"""
            {{user}}
            worker_processes 1;
            error_log {{directory.Combine("error.log")}};
            pid {{directory.Combine("nginx.pid")}};
            events { worker_connections 64; }
            http {
              access_log off;
              client_body_temp_path {{directory.Combine("body")}};
              fastcgi_temp_path {{directory.Combine("fastcgi")}};
              proxy_temp_path {{directory.Combine("proxy")}};
              uwsgi_temp_path {{directory.Combine("uwsgi")}};
              scgi_temp_path {{directory.Combine("scgi")}};
              server {
                listen 127.0.0.1:{{Port}};
                {{(moreAddress is null ? "" : $"listen {moreAddress}:{Port};")}}
                listen 127.0.0.1:{{TlsPort}} ssl;
                ssl_certificate {{directory.Combine("server.crt")}};
                ssl_certificate_key {{directory.Combine("server.key")}};
                client_max_body_size 0;
                location ~ ^/bearer(/.*)$ {
                  if ($http_authorization != "Bearer {{bearerToken}}") { return 401; }
                  fastcgi_param PATH_INFO $1;
            {{backend}}
                }
                location ~ ^/moved-301/(.*)$ { auth_basic "git"; auth_basic_user_file {{directory.Combine("htpasswd")}}; return 301 /$1$is_args$args; }
                location ~ ^/moved-302/(.*)$ { auth_basic "git"; auth_basic_user_file {{directory.Combine("htpasswd")}}; return 302 /$1$is_args$args; }
                location ~ ^/moved-307/(.*)$ { auth_basic "git"; auth_basic_user_file {{directory.Combine("htpasswd")}}; return 307 /$1$is_args$args; }
                location ~ ^/moved-308/(.*)$ { auth_basic "git"; auth_basic_user_file {{directory.Combine("htpasswd")}}; return 308 /$1$is_args$args; }
                location ~ ^/small(/.*)$ {
                  client_max_body_size 2k;
                  auth_basic "git";
                  auth_basic_user_file {{directory.Combine("htpasswd")}};
                  fastcgi_param PATH_INFO $1;
            {{backend}}
                }
                location / {
                  auth_basic "git";
                  auth_basic_user_file {{directory.Combine("htpasswd")}};
                  fastcgi_param PATH_INFO $uri;
            {{backend}}
                }
              }
            }
            """);
        fcgiwrap = ProcessGroup.Start("/usr/sbin/fcgiwrap", "-c", "4", "-s", $"unix:{socket}");
        ProcessGroup.WaitFor(() => File.Exists(socket), "fcgiwrap's socket");
        nginx = ProcessGroup.Start("/usr/sbin/nginx", "-p", directory.Path, "-c", directory.Combine("nginx.conf"), "-g", "daemon off;");
        ProcessGroup.WaitFor(() => LoopbackPorts.Accepts(Port), $"nginx on port {Port} ({ReadLog()})");
    }

    public int Port { get; }

    /// <summary>The server's processes (nginx, and fcgiwrap, whose children run git http-backend and receive-pack): what it costs in CPU.</summary>
    public IReadOnlyList<int> ProcessIds => [nginx.Id, fcgiwrap.Id];

    public int TlsPort { get; }

    /// <summary>The PEM of the CA that signed the HTTPS certificate (a GitRepoConfig's <c>caFile</c>).</summary>
    public string CaPem { get; }

    public string HttpsUrlFor(string repository) => $"https://127.0.0.1:{TlsPort}/{repository}";

    public string BearerUrlFor(string repository) => $"http://127.0.0.1:{Port}/bearer/{repository}";

    public string RepositoriesRoot { get; }

    /// <summary>
    /// The URL of a repository that moved: <c>/moved-CODE/&lt;name&gt;</c> answers (after basic auth)
    /// <paramref name="status"/> (301, 302, 307 or 308) to <c>/&lt;name&gt;</c>.
    /// </summary>
    public string MovedUrlFor(string repository, int status) => $"http://127.0.0.1:{Port}/moved-{status}/{repository}";

    /// <summary>The URL of a repository behind a request body limit of 2 KiB (HTTP 413 above it).</summary>
    public string SmallBodyUrlFor(string repository) => $"http://127.0.0.1:{Port}/small/{repository}";

    public string UrlFor(string repository) => $"http://127.0.0.1:{Port}/{repository}";

    /// <summary>The plain-HTTP URL of a repository through another address the server listens on.</summary>
    public string UrlFor(string repository, IPAddress address) => $"http://{address}:{Port}/{repository}";

    /// <summary>A new bare repository served as <c>/&lt;name&gt;</c>, pushable over HTTP.</summary>
    public string CreateRepository(string name)
    {
        var path = GitCli.InitBare(Path.Combine(RepositoriesRoot, name));
        GitCli.Run(path, "config", "http.receivepack", "true");
        return path;
    }

    public void Dispose()
    {
        ProcessGroup.Stop(nginx);
        ProcessGroup.Stop(fcgiwrap);
        directory.Dispose();
    }

    // A CA and a serving certificate for 127.0.0.1 signed by it; returns the CA's PEM.
    private static string WriteCertificates(string certificatePath, string keyPath)
    {
        var now = DateTimeOffset.UtcNow;
        using var caKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var caRequest = new CertificateRequest("CN=git-test-ca", caKey, HashAlgorithmName.SHA256);
        caRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        caRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign, true));
        using var ca = caRequest.CreateSelfSigned(now.AddMinutes(-5), now.AddDays(2));
        using var serverKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var serverRequest = new CertificateRequest("CN=127.0.0.1", serverKey, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Loopback);
        serverRequest.CertificateExtensions.Add(names.Build());
        serverRequest.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        using var server = serverRequest.Create(ca, now.AddMinutes(-5), now.AddDays(1), [1, 2, 3, 4]);
        File.WriteAllText(certificatePath, server.ExportCertificatePem());
        File.WriteAllText(keyPath, serverKey.ExportPkcs8PrivateKeyPem());
        return ca.ExportCertificatePem();
    }

    private string ReadLog() => File.Exists(directory.Combine("error.log")) ? File.ReadAllText(directory.Combine("error.log")) : "";
}
