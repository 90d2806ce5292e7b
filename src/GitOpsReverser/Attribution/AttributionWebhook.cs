using System.Text;
using System.Text.Json;
using GitOpsReverser.Manifests;
using GitOpsReverser.Sanitizing;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace GitOpsReverser.Attribution;

/// <summary>
/// The attribution webhook, <c>POST /attribution/&lt;capability&gt;</c>: a validating admission webhook that always
/// allows and only records who wrote what (<see cref="AttributionRecords"/>). Only the API server knows the path
/// (<see cref="WebhookCapability"/>): a request without the capability gets 404, is never recorded, and is
/// counted as <c>unauthenticated</c>. It keeps the user, groups, operation,
/// object identity, request uid and the hash of the sanitized object; never the object, and it logs no
/// content. Dry runs, subresource writes (status) and the operator's own requests are not recorded. A body
/// that is not an AdmissionReview gets 400, one over 8 MiB 413; neither stops anything else. Memory stays
/// bounded whatever is posted: at most <see cref="MaxConcurrentRequests"/> bodies are read at once, a username
/// over <see cref="MaxUserLength"/> characters or a request uid over <see cref="MaxUidLength"/> is not recorded
/// (<c>oversized</c>), at most <see cref="MaxGroups"/> groups of at most <see cref="MaxUserLength"/> characters
/// are kept, and the records themselves are bounded in bytes (<see cref="AttributionRecords"/>).
/// </summary>
internal sealed partial class AttributionWebhook(
    AttributionRecords records, WebhookCapability capability, Sanitizer sanitizer, AttributionMetrics metrics, TimeProvider time, ILogger<AttributionWebhook> logger)
{
    public const string Path = "/attribution";
    public const long MaxBodyBytes = 8 * 1024 * 1024;

    /// <summary>Bodies read and parsed at once; more requests wait (the API server gives up after the webhook's 2 s and fails open).</summary>
    public const int MaxConcurrentRequests = 4;

    /// <summary>The longest username (and group name) recorded: far above any a cluster issues (a DNS name or an e-mail address).</summary>
    public const int MaxUserLength = 1024;

    public const int MaxGroups = 256;

    public const int MaxUidLength = 128;

    private readonly SemaphoreSlim reading = new(MaxConcurrentRequests, MaxConcurrentRequests);

    public async Task HandleAsync(HttpContext context)
    {
        // Only the API server knows the path: anything else is told nothing, recorded nowhere, and counted.
        var path = context.Request.Path.Value ?? "";
        if (!path.StartsWith(Path + "/", StringComparison.Ordinal) || !capability.Accepts(path[(Path.Length + 1)..]))
        {
            metrics.Request("unauthenticated");
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            await context.Response.WriteAsync("not found\n");
            return;
        }

        await reading.WaitAsync(context.RequestAborted);
        try
        {
            await HandleOneAsync(context);
        }
        finally
        {
            reading.Release();
        }
    }

    private async Task HandleOneAsync(HttpContext context)
    {
        if (!HttpMethods.IsPost(context.Request.Method))
        {
            await Reject(context, StatusCodes.Status405MethodNotAllowed, "POST an AdmissionReview");
            return;
        }

        if (!(context.Request.ContentType ?? "").StartsWith("application/json", StringComparison.OrdinalIgnoreCase))
        {
            await Reject(context, StatusCodes.Status415UnsupportedMediaType, "an AdmissionReview is application/json");
            return;
        }

        if (context.Request.ContentLength > MaxBodyBytes)
        {
            await Reject(context, StatusCodes.Status413PayloadTooLarge, $"an AdmissionReview over {MaxBodyBytes} bytes");
            return;
        }

        byte[] body;
        using (var buffer = new MemoryStream())
        {
            var chunk = new byte[81920];
            int read;
            while ((read = await context.Request.Body.ReadAsync(chunk, context.RequestAborted)) > 0)
            {
                if (buffer.Length + read > MaxBodyBytes)
                {
                    await Reject(context, StatusCodes.Status413PayloadTooLarge, $"an AdmissionReview over {MaxBodyBytes} bytes");
                    return;
                }

                buffer.Write(chunk, 0, read);
            }

            body = buffer.ToArray();
        }

        // Read once, straight into the model the sanitizer works on.
        MappingNode? request;
        try
        {
            request = (JsonManifestReader.Read(body) as MappingNode)?.GetMapping("request");
        }
        catch (ManifestFormatException)
        {
            request = null;
        }

        if (request?.GetString("uid") is not { Length: > 0 } uid)
        {
            await Reject(context, StatusCodes.Status400BadRequest, "the body is not an AdmissionReview with a request and its uid");
            return;
        }

        try
        {
            metrics.Request(Record(request, uid));
        }
        catch (Exception exception) when (exception is InvalidOperationException or FormatException or ManifestFormatException)
        {
            // Attribution is best effort; the write goes on either way. The object's content is never logged.
            metrics.Request("unreadable");
            Log.NotRecorded(logger, uid, exception.GetType().Name);
        }

        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(
            $$$"""{"apiVersion":"admission.k8s.io/v1","kind":"AdmissionReview","response":{"uid":{{{JsonSerializer.Serialize(uid)}}},"allowed":true}}""",
            context.RequestAborted);
    }

    // The outcome: recorded, ignored (never recorded: dry runs, subresources, the operator's own) or oversized.
    private string Record(MappingNode request, string uid)
    {
        var operation = request.GetString("operation");
        var userInfo = request.GetMapping("userInfo");
        var user = userInfo?.GetString("username");
        if (request["dryRun"] is ScalarNode { Kind: ScalarKind.Boolean, Text: "true" } || operation is not ("CREATE" or "UPDATE" or "DELETE")
            || string.IsNullOrEmpty(user) || user == records.IgnoredUser || !string.IsNullOrEmpty(request.GetString("subResource")))
        {
            return "ignored";
        }

        if (user.Length > MaxUserLength || uid.Length > MaxUidLength)
        {
            return "oversized";
        }

        var subject = request.GetMapping(operation == "DELETE" ? "oldObject" : "object");
        var name = request.GetString("name") is { Length: > 0 } requested ? requested : subject?.GetMapping("metadata")?.GetString("name");
        if (string.IsNullOrEmpty(name))
        {
            // generateName: the name is not known until the object is stored.
            return "ignored";
        }

        ulong hash = 0;
        if (operation != "DELETE")
        {
            var sanitized = sanitizer.Sanitize(subject ?? throw new FormatException("the request has no object"));
            hash = sanitized.IsSkipped ? 0 : ContentHash.Of(Encoding.UTF8.GetBytes(CanonicalYaml.Write(sanitized.Manifest!)));
        }

        var groups = (userInfo?.GetSequence("groups")?.Items ?? []).OfType<ScalarNode>().Select(group => group.Text)
            .Where(group => group.Length is > 0 and <= MaxUserLength).Take(MaxGroups).ToList();
        var ns = request.GetString("namespace") is { Length: > 0 } inNamespace ? inNamespace : null;
        var kind = request.GetMapping("kind");
        records.Add(new AttributionRecord(
            AttributionRecords.KeyOf(kind?.GetString("group") ?? "", kind?.GetString("kind") ?? "", ns, name), operation, hash, user, groups, uid, time.GetUtcNow()));
        return "recorded";
    }

    private async Task Reject(HttpContext context, int status, string message)
    {
        metrics.Request("rejected");
        context.Response.StatusCode = status;
        context.Response.ContentType = "text/plain; charset=utf-8";
        await context.Response.WriteAsync($"{message}\n");
    }

    private static partial class Log
    {
        [LoggerMessage(Level = LogLevel.Warning, Message = "Admission request {Uid} was allowed but not recorded for attribution ({Error})")]
        public static partial void NotRecorded(ILogger logger, string uid, string error);
    }
}
