using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace GitOpsReverser.Attribution;

internal static class AttributionServiceCollectionExtensions
{
    /// <summary>
    /// Adds attribution: the records, the webhook, its certificate and capability, kept current by
    /// <see cref="WebhookCertificateRefresher"/> on every replica.
    /// </summary>
    public static IServiceCollection AddAttribution(this IServiceCollection services, Func<IServiceProvider, AttributionOptions> options)
    {
        services.AddSingleton(options);
        services.AddSingleton(provider => new AttributionRecords(provider.GetRequiredService<TimeProvider>()));
        services.AddSingleton(provider => new WebhookCertificates(provider.GetRequiredService<HttpClient>(),
            provider.GetRequiredService<AttributionOptions>(), provider.GetRequiredService<TimeProvider>(),
            provider.GetRequiredService<ILogger<WebhookCertificates>>()));
        services.AddSingleton(provider => new WebhookCapability(provider.GetRequiredService<HttpClient>(),
            provider.GetRequiredService<AttributionOptions>(), provider.GetRequiredService<TimeProvider>(),
            provider.GetRequiredService<ILogger<WebhookCapability>>()));
        services.AddSingleton<AttributionMetrics>();
        services.AddSingleton<AttributionWebhook>();
        services.AddHostedService<WebhookCertificateRefresher>();
        return services;
    }
}
