using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace GitOpsReverser.Attribution;

/// <summary>
/// On every replica, leader or not: loads the attribution webhook's certificate and capability at start and
/// checks them every 10 minutes, so a renewal (by whichever replica makes it) is served everywhere soon after.
/// </summary>
internal sealed partial class WebhookCertificateRefresher(
    WebhookCertificates certificates, WebhookCapability capability, TimeProvider time, ILogger<WebhookCertificateRefresher> logger)
    : BackgroundService
{
    private static readonly TimeSpan Interval = TimeSpan.FromMinutes(10);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            var wait = Interval;
            try
            {
                await certificates.EnsureAsync(stoppingToken);
                await capability.EnsureAsync(certificates.CertificateId!, stoppingToken);
            }
            catch (Exception exception) when (exception is HttpRequestException or InvalidOperationException or System.Security.Cryptography.CryptographicException)
            {
                Log.Failed(logger, exception.Message);
                wait = TimeSpan.FromSeconds(10);
            }

            try
            {
                await Task.Delay(wait, time, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private static partial class Log
    {
        [LoggerMessage(Level = LogLevel.Warning, Message = "Cannot load or make the attribution webhook's certificate ({Message}); trying again in 10 s")]
        public static partial void Failed(ILogger logger, string message);
    }
}
