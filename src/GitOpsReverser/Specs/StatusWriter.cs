using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using GitOpsReverser.Api.V1Alpha1;
using Microsoft.Extensions.Logging;

namespace GitOpsReverser.Specs;

/// <summary>
/// Writes the status subresource of GitRepoConfigs, WatchRules and ClusterWatchRules with a merge patch,
/// only when it changed; a condition's <c>lastTransitionTime</c> moves only when its status does.
/// </summary>
internal sealed class StatusWriter(HttpClient http, TimeProvider time, ILogger logger)
{
    private readonly Dictionary<ResourceKey, string> written = [];
    private readonly Dictionary<ResourceKey, (bool? Ready, string Time)> transitions = [];

    public async Task WriteAsync(IEnumerable<ObjectStatus> statuses, CancellationToken cancellationToken)
    {
        var current = new HashSet<ResourceKey>();
        foreach (var status in statuses)
        {
            current.Add(status.Key);
            if (!transitions.TryGetValue(status.Key, out var transition) || transition.Ready != status.Ready)
            {
                transition = (status.Ready, time.GetUtcNow().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture));
                transitions[status.Key] = transition;
            }

            var body = status.Fields;
            body.ObservedGeneration = status.Generation;
            body.Conditions =
            [
                new Condition
                {
                    Type = "Ready",
                    Status = status.Ready switch { true => ConditionStatus.True, false => ConditionStatus.False, null => ConditionStatus.Unknown },
                    Reason = status.Reason,
                    Message = status.Message,
                    LastTransitionTime = transition.Time,
                    ObservedGeneration = status.Generation,
                },
            ];
            var patch = new JsonObject { ["status"] = JsonSerializer.SerializeToNode(body, body.GetType(), ApiGroup.JsonOptions) }.ToJsonString();
            if (written.TryGetValue(status.Key, out var previous) && previous == patch)
            {
                continue;
            }

            if (await PatchAsync(status.Key, patch, cancellationToken))
            {
                written[status.Key] = patch;
            }
        }

        foreach (var gone in written.Keys.Where(key => !current.Contains(key)).ToList())
        {
            written.Remove(gone);
            transitions.Remove(gone);
        }
    }

    private async Task<bool> PatchAsync(ResourceKey key, string patch, CancellationToken cancellationToken)
    {
        var plural = key.Kind.ToLowerInvariant() + "s";
        var path = key.Namespace is null
            ? $"apis/configbutler.ai/v1alpha1/{plural}/{key.Name}/status"
            : $"apis/configbutler.ai/v1alpha1/namespaces/{key.Namespace}/{plural}/{key.Name}/status";
        using var request = new HttpRequestMessage(HttpMethod.Patch, path)
        {
            Content = new StringContent(patch, Encoding.UTF8),
        };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/merge-patch+json");
        try
        {
            using var response = await http.SendAsync(request, cancellationToken);
            if (response.IsSuccessStatusCode)
            {
                return true;
            }

            // 404: the object was deleted meanwhile; anything else is retried with the next status round.
            if (response.StatusCode != System.Net.HttpStatusCode.NotFound)
            {
                Log.StatusFailed(logger, key.ToString(), $"{(int)response.StatusCode} {await response.Content.ReadAsStringAsync(cancellationToken)}");
            }
        }
        catch (HttpRequestException exception)
        {
            Log.StatusFailed(logger, key.ToString(), exception.Message);
        }

        return false;
    }
}
