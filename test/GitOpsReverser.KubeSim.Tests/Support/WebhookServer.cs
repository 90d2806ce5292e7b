using System.Net;
using System.Text.Json.Nodes;
using GitOpsReverser.KubeSim.Security;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace GitOpsReverser.KubeSim.Tests.Support;

/// <summary>
/// A real validating admission webhook over HTTPS on 127.0.0.1 with its own CA: it records every
/// AdmissionReview and denies objects labelled <c>deny: "true"</c>.
/// </summary>
internal sealed class WebhookServer : IAsyncDisposable
{
    private readonly WebApplication app;
    private readonly CertificateAuthority certificateAuthority;
    private readonly List<JsonObject> requests = [];

    private WebhookServer(WebApplication app, CertificateAuthority certificateAuthority)
    {
        this.app = app;
        this.certificateAuthority = certificateAuthority;
    }

    public string Url { get; private set; } = "";

    /// <summary>The caBundle to put in a webhook configuration: base64 of the CA's PEM.</summary>
    public string CaBundle => Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(certificateAuthority.CertificatePem));

    public IReadOnlyList<JsonObject> Requests
    {
        get
        {
            lock (requests)
            {
                return [.. requests];
            }
        }
    }

    /// <summary>Starts a webhook on 127.0.0.1 whose certificate also names <paramref name="moreNames"/> (a Service's DNS name).</summary>
    public static async Task<WebhookServer> StartAsync(params string[] moreNames)
    {
        var certificateAuthority = CertificateAuthority.Create("webhook-test-ca", moreNames: moreNames);
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel =>
            kestrel.Listen(IPAddress.Loopback, 0, listen => listen.UseHttps(certificateAuthority.ServingCertificate)));
        var app = builder.Build();
        var server = new WebhookServer(app, certificateAuthority);
        app.MapPost("/validate", server.HandleAsync);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        server.Url = address + "/validate";
        return server;
    }

    private async Task HandleAsync(HttpContext context)
    {
        var review = (await JsonNode.ParseAsync(context.Request.Body))!.AsObject();
        var request = review["request"]!.AsObject();
        lock (requests)
        {
            requests.Add(request);
        }

        var denied = (string?)request["object"]?["metadata"]?["labels"]?["deny"] == "true";
        var response = new JsonObject { ["uid"] = (string?)request["uid"], ["allowed"] = !denied };
        if (denied)
        {
            response["status"] = new JsonObject { ["code"] = 403, ["message"] = "objects labelled deny=true are refused" };
        }

        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(new JsonObject
        {
            ["apiVersion"] = "admission.k8s.io/v1",
            ["kind"] = "AdmissionReview",
            ["response"] = response,
        }.ToJsonString());
    }

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
        certificateAuthority.Dispose();
    }
}
