using GitOpsReverser.Git;
using Microsoft.Extensions.Logging;

namespace GitOpsReverser.Notifications;

/// <summary>
/// A GitRepoConfig's notifications: one <see cref="EndpointDelivery"/> per endpoint whose URL could be read, and the
/// reason for each that could not (its status says it; the capture goes on). <see cref="Fingerprint"/> tells whether
/// a reconcile must make a new one.
/// </summary>
internal sealed class Notifier : IAsyncDisposable
{
    // One client for every endpoint: connections are pooled per host, and re-resolved every few minutes. Redirects are
    // not followed: a receiver that answers 3xx cannot send the operator on to another address.
    private static readonly HttpClient Http = new(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5), AllowAutoRedirect = false })
    {
        Timeout = Timeout.InfiniteTimeSpan,
    };

    private readonly IReadOnlyList<EndpointDelivery> deliveries;
    private readonly IReadOnlyList<(string Name, string Problem)> problems;

    public Notifier(string repository, string clonePath, string branch, NotificationSettings settings, IReadOnlyList<(EndpointSettings Endpoint, Uri? Url, string? Problem)> endpoints,
        string fingerprint, GitMetrics metrics, TimeProvider time, ILogger logger)
    {
        Fingerprint = fingerprint;
        deliveries = [.. endpoints.Where(endpoint => endpoint.Url is not null)
            .Select(endpoint => new EndpointDelivery(endpoint.Endpoint, endpoint.Url!, repository, clonePath, branch, settings, Http, metrics, time, logger))];
        problems = [.. endpoints.Where(endpoint => endpoint.Problem is not null).Select(endpoint => (endpoint.Endpoint.Name, endpoint.Problem!))];
    }

    public string Fingerprint { get; }

    /// <summary>The remote's head moved from <paramref name="from"/> to <paramref name="to"/>: every endpoint takes note, none waits.</summary>
    public void Pushed(string? from, string to)
    {
        foreach (var delivery in deliveries)
        {
            delivery.Pushed(from, to);
        }
    }

    /// <summary>Each endpoint's deliveries, and the endpoints that cannot deliver with why.</summary>
    public List<Api.V1Alpha1.NotificationStatus> Status() =>
        [.. deliveries.Select(delivery => delivery.Status), .. problems.Select(problem => new Api.V1Alpha1.NotificationStatus { Name = problem.Name, LastError = problem.Problem })];

    public async ValueTask DisposeAsync()
    {
        foreach (var delivery in deliveries)
        {
            await delivery.DisposeAsync();
        }
    }
}
