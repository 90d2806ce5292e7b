using System.Globalization;
using System.Net;
using System.Text;
using GitOpsReverser.Git;
using GitOpsReverser.Git.History;
using Microsoft.Extensions.Logging;
using Polly;
using Polly.Retry;
using Polly.Timeout;

namespace GitOpsReverser.Notifications;

/// <summary>
/// One endpoint's deliveries, on a task of its own: pushes only widen the range of commits waiting (so what waits is
/// two commit ids, however many pushes come); after the batch window the range is read from the clone and sent as one
/// message, retried through Polly (a timeout per attempt, 3 retries with jittered exponential backoff). A batch over
/// <see cref="MaxCommits"/> tells the newest and counts the rest as dropped; a message that fails after its retries
/// is dropped and counted. A slow or broken receiver holds back only its own endpoint, never a commit or a push.
/// Where the endpoint got to is kept in the clone (<see cref="NotificationMarks"/>), so that after a restart what was
/// pushed but not yet told is told.
/// </summary>
internal sealed class EndpointDelivery : IAsyncDisposable
{
    /// <summary>The most commits one message tells; older ones in the batch are counted and named as a number.</summary>
    public const int MaxCommits = 50;

    /// <summary>The most files of one commit a message tells (a resync may change thousands).</summary>
    public const int MaxFiles = 20;

    private readonly EndpointSettings endpoint;
    private readonly Uri url;
    private readonly string repository;
    private readonly string clonePath;
    private readonly string branch;
    private readonly NotificationSettings settings;
    private readonly HttpClient http;
    private readonly GitMetrics metrics;
    private readonly TimeProvider time;
    private readonly ILogger logger;
    private readonly ResiliencePipeline<HttpResponseMessage> pipeline;
    private readonly SemaphoreSlim arrived = new(0);
    private readonly CancellationTokenSource stopping = new();
    private readonly Lock gate = new();
    private readonly Task loop;
    private (string? From, string To)? waiting;
    private long sent;
    private long dropped;
    private DateTimeOffset? lastSent;
    private string? lastError;

    public EndpointDelivery(EndpointSettings endpoint, Uri url, string repository, string clonePath, string branch, NotificationSettings settings,
        HttpClient http, GitMetrics metrics, TimeProvider time, ILogger logger)
    {
        (this.endpoint, this.url, this.repository, this.clonePath, this.branch, this.settings, this.http, this.metrics, this.time, this.logger) =
            (endpoint, url, repository, clonePath, branch, settings, http, metrics, time, logger);
        pipeline = new ResiliencePipelineBuilder<HttpResponseMessage> { TimeProvider = time }
            .AddRetry(new RetryStrategyOptions<HttpResponseMessage>
            {
                MaxRetryAttempts = 3,
                BackoffType = DelayBackoffType.Exponential,
                Delay = TimeSpan.FromSeconds(1),
                UseJitter = true,
                ShouldHandle = new PredicateBuilder<HttpResponseMessage>()
                    .Handle<HttpRequestException>()
                    .Handle<TimeoutRejectedException>()
                    .HandleResult(response => (int)response.StatusCode >= 500 || response.StatusCode == HttpStatusCode.TooManyRequests),
                OnRetry = arguments =>
                {
                    arguments.Outcome.Result?.Dispose();
                    return ValueTask.CompletedTask;
                },
            })
            .AddTimeout(settings.Timeout)
            .Build();
        loop = Task.Run(() => RunAsync(stopping.Token));
    }

    /// <summary>Takes note that the remote's head went from <paramref name="from"/> to <paramref name="to"/>; returns at once.</summary>
    public void Pushed(string? from, string to)
    {
        lock (gate)
        {
            var first = waiting is null;
            waiting = (waiting is { } range ? range.From : from, to);
            if (first)
            {
                arrived.Release();
            }
        }
    }

    public Api.V1Alpha1.NotificationStatus Status
    {
        get
        {
            lock (gate)
            {
                return new Api.V1Alpha1.NotificationStatus
                {
                    Name = endpoint.Name,
                    Sent = sent,
                    Dropped = dropped,
                    LastSentTime = lastSent?.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture),
                    LastError = lastError,
                };
            }
        }
    }

    private async Task RunAsync(CancellationToken cancellationToken)
    {
        try
        {
            // What a previous run pushed and did not tell yet. Without a mark (a first run, or a new clone) the first
            // push's starting point becomes one, before its batch window: a restart within the window still tells it.
            var (mark, head) = NotificationMarks.Read(clonePath, endpoint.Name, branch);
            if (mark is not null && head is not null && mark != head)
            {
                Pushed(mark, head);
            }

            while (true)
            {
                await arrived.WaitAsync(cancellationToken);
                if (mark is null && PeekFrom() is { } start)
                {
                    mark = NotificationMarks.Write(clonePath, endpoint.Name, start) ? start : null;
                }

                await Task.Delay(settings.BatchWindow, time, cancellationToken);
                (string? From, string To) range;
                lock (gate)
                {
                    range = waiting!.Value;
                    waiting = null;
                }

                await DeliverAsync(range.From, range.To, cancellationToken);

                // Told, or dropped and counted: either way this endpoint is done with the range.
                mark = NotificationMarks.Write(clonePath, endpoint.Name, range.To) ? range.To : mark;
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }

    private string? PeekFrom()
    {
        lock (gate)
        {
            return waiting?.From;
        }
    }

    private async Task DeliverAsync(string? from, string to, CancellationToken cancellationToken)
    {
        IReadOnlyList<NotifiedCommit> commits;
        int more;
        try
        {
            var (pushed, left) = PushedCommits.Read(clonePath, from, to, MaxCommits, MaxFiles);
            commits = [.. pushed.Select(commit => NotifiedCommit.Of(commit, settings))
                .Select(commit => commit with { Files = [.. commit.Files.Where(file => endpoint.Wants(file.Operation, file.KindFolder))] })
                .Where(commit => commit.Files.Count > 0)];
            more = left;
        }
        catch (IOException exception)
        {
            Failed(0, $"could not read the pushed commits: {exception.Message}");
            return;
        }

        if (commits.Count == 0)
        {
            return;
        }

        var (body, contentType) = NotificationPayload.For(endpoint.Type, repository, commits, more);
        try
        {
            using var response = await pipeline.ExecuteAsync(async token =>
            {
                using var content = new StringContent(body, Encoding.UTF8);
                content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue(contentType) { CharSet = "utf-8" };
                return await http.PostAsync(url, content, token);
            }, cancellationToken);
            if (!response.IsSuccessStatusCode)
            {
                Failed(commits.Count + more, $"the endpoint answered {(int)response.StatusCode} {response.ReasonPhrase}");
                return;
            }

            lock (gate)
            {
                (sent, lastSent, lastError) = (sent + 1, time.GetUtcNow(), null);
                dropped += more;
            }

            metrics.Notified(repository, endpoint.Name, sent: true);
            if (more > 0)
            {
                metrics.NotificationDropped(repository, endpoint.Name, more);
            }
        }
        catch (Exception exception) when (exception is HttpRequestException or TimeoutRejectedException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            Failed(commits.Count + more, exception is TimeoutRejectedException ? $"no answer within {settings.Timeout.TotalSeconds:0.#} s, 4 times" : exception.Message);
        }
    }

    // A message that could not be delivered: its commits are dropped, counted and said, never retried past the pipeline.
    private void Failed(int commits, string why)
    {
        lock (gate)
        {
            (dropped, lastError) = (dropped + commits, why);
        }

        metrics.Notified(repository, endpoint.Name, sent: false);
        metrics.NotificationDropped(repository, endpoint.Name, commits);
        Log.NotificationFailed(logger, repository, endpoint.Name, commits, why);
    }

    public async ValueTask DisposeAsync()
    {
        await stopping.CancelAsync();
        await loop;
        stopping.Dispose();
        arrived.Dispose();
    }
}
