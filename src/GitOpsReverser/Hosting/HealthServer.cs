using System.Net;
using System.Text;
using GitOpsReverser.Rules;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace GitOpsReverser.Hosting;

/// <summary>
/// <c>/healthz</c> answers 200 while the process runs; <c>/readyz</c> answers 200 once the operator's
/// objects are listed and every repository has finished its first sync, 503 before.
/// </summary>
internal sealed class HealthServer(IOptions<OperatorOptions> options, RuleController controller) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (options.Value.HealthPort == 0)
        {
            return;
        }

        using var listener = new HttpListener();
        listener.Prefixes.Add($"http://{ListenerHost(options.Value.ListenAddress)}:{options.Value.HealthPort}/");
        listener.Start();
        await using var stop = stoppingToken.Register(listener.Stop);
        while (!stoppingToken.IsCancellationRequested)
        {
            HttpListenerContext context;
            try
            {
                context = await listener.GetContextAsync();
            }
            catch (Exception exception) when (exception is HttpListenerException or ObjectDisposedException && stoppingToken.IsCancellationRequested)
            {
                return;
            }

            var (code, body) = context.Request.Url?.AbsolutePath switch
            {
                "/healthz" or "/livez" => (200, "ok"),
                "/readyz" when controller.Ready => (200, "ready"),
                "/readyz" => (503, "not ready: waiting for the first sync of every repository"),
                _ => (404, "not found"),
            };
            var bytes = Encoding.UTF8.GetBytes(body + "\n");
            context.Response.StatusCode = code;
            context.Response.ContentType = "text/plain; charset=utf-8";
            await context.Response.OutputStream.WriteAsync(bytes, stoppingToken);
            context.Response.Close();
        }
    }

    /// <summary>HttpListener matches requests by host name: all interfaces are written <c>*</c>.</summary>
    public static string ListenerHost(string address) =>
        address is "0.0.0.0" or "::" ? "*" : IPAddress.Parse(address).AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? $"[{address}]" : address;
}
