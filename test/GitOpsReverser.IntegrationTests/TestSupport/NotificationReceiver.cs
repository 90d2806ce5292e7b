using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace GitOpsReverser.IntegrationTests.TestSupport;

/// <summary>One request a receiver got: its path, content type and body.</summary>
internal sealed record ReceivedMessage(string Path, string ContentType, string Body);

/// <summary>
/// A real HTTP server on 127.0.0.1 (Kestrel) standing in for Slack, Teams and webhook receivers: <c>/ok/…</c> records
/// each request and answers 200, <c>/fail/…</c> records it and answers 500, <c>/stall/…</c> records it and never
/// answers until the caller gives up.
/// </summary>
internal sealed class NotificationReceiver : IAsyncDisposable
{
    private readonly WebApplication app;
    private readonly List<ReceivedMessage> received = [];

    private NotificationReceiver(WebApplication app) => this.app = app;

    public string Url { get; private set; } = "";

    public IReadOnlyList<ReceivedMessage> Received(string path)
    {
        lock (received)
        {
            return [.. received.Where(message => message.Path == path)];
        }
    }

    public static async Task<NotificationReceiver> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        var receiver = new NotificationReceiver(app);
        app.MapPost("/{mode}/{name}", receiver.HandleAsync);
        await app.StartAsync();
        receiver.Url = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return receiver;
    }

    private async Task HandleAsync(HttpContext context, string mode, string name)
    {
        using var reader = new StreamReader(context.Request.Body);
        var body = await reader.ReadToEndAsync(context.RequestAborted);
        lock (received)
        {
            received.Add(new ReceivedMessage($"/{mode}/{name}", context.Request.ContentType ?? "", body));
        }

        switch (mode)
        {
            case "fail":
                context.Response.StatusCode = 500;
                break;
            case "stall":
                await Task.Delay(Timeout.Infinite, context.RequestAborted).ContinueWith(_ => { }, TaskScheduler.Default);
                break;
            default:
                context.Response.StatusCode = 200;
                break;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
    }
}
