using System.Net;
using GitOpsReverser.Attribution;
using GitOpsReverser.Control;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;

namespace GitOpsReverser.Hosting;

/// <summary>
/// The operator's one HTTP server, Kestrel: <c>/healthz</c>, <c>/livez</c> and <c>/readyz</c> on the
/// health port, <c>/metrics</c> (Prometheus text) on the metrics port, and with attribution on,
/// <c>/attribution</c> over HTTPS on the webhook port, all on the listen address.
/// Requests are told apart by the port they arrived on, so a port-forward or proxy in front changes nothing.
/// </summary>
internal static class HttpEndpoints
{
    private const string ReadinessTag = "ready";

    /// <summary>Kestrel's listeners, the readiness check and the Prometheus exporter.</summary>
    public static void AddHttpEndpoints(this WebApplicationBuilder builder, OperatorOptions settings)
    {
        var address = IPAddress.Parse(settings.ListenAddress);
        builder.WebHost.UseKestrelCore().ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Listen(address, settings.HealthPort);
            if (settings.MetricsPort != 0)
            {
                kestrel.Listen(address, settings.MetricsPort);
            }

            if (settings.AttributionEnabled)
            {
                // Every new connection gets the current certificate, so a renewed one is served at once.
                kestrel.Listen(address, settings.WebhookPort, listen => listen.UseHttps(https =>
                    https.ServerCertificateSelector = (_, _) => kestrel.ApplicationServices.GetRequiredService<WebhookCertificates>().Current));
            }
        });
        builder.Services.AddHealthChecks().AddCheck<OperatorReadiness>("operator", tags: [ReadinessTag]);
        if (settings.MetricsPort != 0)
        {
            builder.Services.AddOpenTelemetry()
                .ConfigureResource(resource => resource.AddService("gitops-reverser", serviceVersion: BuildInfo.Version))
                .WithMetrics(metrics => metrics
                    .AddMeter(Kube.WatchMetrics.MeterName, Git.GitMetrics.MeterName, ControlMetrics.MeterName, AttributionMetrics.MeterName, OperatorMetrics.MeterName)
                    .AddRuntimeInstrumentation()
                    .AddProcessInstrumentation()
                    .AddPrometheusExporter());
            builder.Services.AddSingleton<OperatorMetrics>();
        }
    }

    /// <summary>The request pipeline: health on the health port, metrics on the metrics port, 404 for anything else.</summary>
    public static void MapHttpEndpoints(this WebApplication app, OperatorOptions settings)
    {
        var liveness = new HealthCheckOptions { Predicate = _ => false, ResponseWriter = WriteAsync("ok") };
        app.UseHealthChecks("/healthz", settings.HealthPort, liveness);
        app.UseHealthChecks("/livez", settings.HealthPort, liveness);
        app.UseHealthChecks("/readyz", settings.HealthPort, new HealthCheckOptions
        {
            Predicate = check => check.Tags.Contains(ReadinessTag),
            ResponseWriter = WriteAsync("ready"),
        });
        if (settings.MetricsPort != 0)
        {
            _ = app.Services.GetRequiredService<OperatorMetrics>();
            app.UseOpenTelemetryPrometheusScrapingEndpoint(context =>
                context.Connection.LocalPort == settings.MetricsPort && context.Request.Path == "/metrics");
        }

        if (settings.AttributionEnabled)
        {
            var webhook = app.Services.GetRequiredService<AttributionWebhook>();
            _ = app.Services.GetRequiredService<AttributionMetrics>();
            // Every request on the webhook's port is the webhook's: it answers 404 to any without the capability.
            app.Use((context, next) => context.Connection.LocalPort == settings.WebhookPort ? webhook.HandleAsync(context) : next(context));
        }

        app.Run(context =>
        {
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            return context.Response.WriteAsync("not found\n");
        });
    }

    // A short text body: the healthy word, or "not ready: " and why.
    private static Func<HttpContext, HealthReport, Task> WriteAsync(string healthy) => (context, report) =>
    {
        context.Response.ContentType = "text/plain; charset=utf-8";
        var reasons = report.Entries.Values.Where(entry => entry.Status != HealthStatus.Healthy).Select(entry => entry.Description);
        return context.Response.WriteAsync(report.Status == HealthStatus.Healthy ? $"{healthy}\n" : $"not ready: {string.Join("; ", reasons)}\n");
    };
}
