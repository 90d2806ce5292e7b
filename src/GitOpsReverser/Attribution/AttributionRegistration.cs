using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using GitOpsReverser.Kube;
using Microsoft.Extensions.Logging;

namespace GitOpsReverser.Attribution;

/// <summary>
/// Keeps the ValidatingWebhookConfiguration <c>gitops-reverser-attribution</c> in line with the active
/// rules: one webhook that always allows (<c>failurePolicy: Ignore</c>, <c>sideEffects: None</c>,
/// <c>timeoutSeconds: 2</c>, <c>matchPolicy: Equivalent</c>) for CREATE, UPDATE and DELETE of exactly the
/// resources the rules capture, reached through <c>--webhook-url</c> or the webhook Service at the path
/// that carries the webhook's capability (<see cref="WebhookCapability"/>), with the webhook certificate's CA
/// as <c>caBundle</c>, and a match condition that leaves out the operator's own requests. It writes only when
/// something changed.
/// </summary>
internal sealed partial class AttributionRegistration(
    HttpClient http, AttributionOptions options, WebhookCertificates certificates, WebhookCapability capability, AttributionRecords records,
    TimeProvider time, ILogger logger)
{
    public const string Name = "gitops-reverser-attribution";

    /// <summary>With leader election in a cluster, the leader's pod carries this label and the webhook Service selects it.</summary>
    public const string LeaderLabel = "gitops-reverser.configbutler.ai/attribution-leader";
    private const string Collection = "apis/admissionregistration.k8s.io/v1/validatingwebhookconfigurations";
    private static readonly TimeSpan Recheck = TimeSpan.FromMinutes(5);
    private string? applied;
    private DateTimeOffset appliedAt;
    private bool knowsItself;

    /// <summary>Brings the registration to <paramref name="resources"/> (the resolved resources of every active rule).</summary>
    public async Task SyncAsync(IEnumerable<WatchedResource> resources, CancellationToken cancellationToken)
    {
        await certificates.EnsureAsync(cancellationToken);
        await capability.EnsureAsync(certificates.CertificateId!, cancellationToken);
        if (!knowsItself)
        {
            records.IgnoredUser = await WhoAmIAsync(cancellationToken);
            knowsItself = true;
        }

        var webhooks = new JsonArray(Webhook(resources));
        var desired = webhooks.ToJsonString();
        var recheck = time.GetUtcNow() - appliedAt >= Recheck;
        if ((applied is null || recheck) && options.LeaderElection && options.WebhookUrl is null
            && Environment.GetEnvironmentVariable("POD_NAME") is { Length: > 0 } pod)
        {
            await LabelLeaderAsync(pod, cancellationToken);
        }


        // Unchanged since the last write, which is recent: nothing to do. Every few minutes the object is
        // written again in any case, so that a helm upgrade or a hand edit does not stay.
        if (desired == applied && !recheck)
        {
            return;
        }

        using var current = await http.GetAsync($"{Collection}/{Name}", cancellationToken);
        HttpResponseMessage written;
        if (current.StatusCode == HttpStatusCode.NotFound)
        {
            written = await http.PostAsJsonAsync(Collection, new JsonObject
            {
                ["apiVersion"] = "admissionregistration.k8s.io/v1",
                ["kind"] = "ValidatingWebhookConfiguration",
                ["metadata"] = new JsonObject { ["name"] = Name, ["labels"] = new JsonObject { ["app.kubernetes.io/name"] = "gitops-reverser" } },
                ["webhooks"] = webhooks,
            }, cancellationToken);
        }
        else
        {
            current.EnsureSuccessStatusCode();
            var existing = await current.Content.ReadFromJsonAsync<JsonObject>(cancellationToken)
                ?? throw new InvalidOperationException($"the ValidatingWebhookConfiguration {Name} could not be read");
            existing["webhooks"] = webhooks;
            existing["metadata"]!.AsObject().Remove("managedFields");
            written = await http.PutAsJsonAsync($"{Collection}/{Name}", existing, cancellationToken);
        }

        using (written)
        {
            if (!written.IsSuccessStatusCode)
            {
                throw new InvalidOperationException(
                    $"cannot write the ValidatingWebhookConfiguration {Name}: {(int)written.StatusCode} {await written.Content.ReadAsStringAsync(cancellationToken)}");
            }
        }

        if (desired != applied)
        {
            Log.Registered(logger, Name, resources.Count());
        }

        applied = desired;
        appliedAt = time.GetUtcNow();
    }

    private JsonObject Webhook(IEnumerable<WatchedResource> resources)
    {
        var rules = resources.Distinct()
            .GroupBy(resource => (resource.Group, resource.Version))
            .OrderBy(group => group.Key.Group, StringComparer.Ordinal).ThenBy(group => group.Key.Version, StringComparer.Ordinal)
            .Select(group => (JsonNode)new JsonObject
            {
                ["apiGroups"] = new JsonArray(group.Key.Group),
                ["apiVersions"] = new JsonArray(group.Key.Version),
                ["resources"] = new JsonArray([.. group.Select(resource => (JsonNode)resource.Plural).OrderBy(plural => (string)plural!, StringComparer.Ordinal)]),
                ["operations"] = new JsonArray("CREATE", "UPDATE", "DELETE"),
                ["scope"] = "*",
            });
        var path = capability.Path ?? throw new InvalidOperationException("the webhook's capability is not known yet");
        var clientConfig = options.WebhookUrl is { } url
            ? new JsonObject { ["url"] = url.TrimEnd('/') + path }
            : new JsonObject
            {
                ["service"] = new JsonObject
                {
                    ["namespace"] = options.Namespace,
                    ["name"] = options.WebhookService,
                    ["path"] = path,
                    ["port"] = 443,
                },
            };
        clientConfig["caBundle"] = certificates.CaBundle;
        var webhook = new JsonObject
        {
            ["name"] = "attribution.configbutler.ai",
            ["clientConfig"] = clientConfig,
            ["rules"] = new JsonArray([.. rules]),
            ["failurePolicy"] = "Ignore",
            ["sideEffects"] = "None",
            ["timeoutSeconds"] = 2,
            ["matchPolicy"] = "Equivalent",
            ["admissionReviewVersions"] = new JsonArray("v1"),
        };
        if (records.IgnoredUser is { } self)
        {
            webhook["matchConditions"] = new JsonArray(new JsonObject
            {
                ["name"] = "not-the-operator",
                ["expression"] = $"request.userInfo.username != '{self.Replace("'", "\\'", StringComparison.Ordinal)}'",
            });
        }

        return webhook;
    }

    // Records only help the leader, which commits: the webhook Service selects the pod with the leader label.
    // The leader puts it on its pod and takes it off any other (a pod that lost the Lease, or was killed).
    private async Task LabelLeaderAsync(string pod, CancellationToken cancellationToken)
    {
        var ns = options.Namespace;
        using var labelled = await http.GetAsync($"api/v1/namespaces/{ns}/pods?labelSelector={Uri.EscapeDataString(LeaderLabel + "=true")}", cancellationToken);
        labelled.EnsureSuccessStatusCode();
        var others = ((await labelled.Content.ReadFromJsonAsync<JsonObject>(cancellationToken))?["items"] as JsonArray ?? [])
            .Select(item => (string?)item?["metadata"]?["name"]).Where(name => name is not null && name != pod).ToList();
        foreach (var other in others)
        {
            await PatchLabelAsync(ns, other!, null, cancellationToken);
        }

        await PatchLabelAsync(ns, pod, "true", cancellationToken);
    }

    private async Task PatchLabelAsync(string ns, string pod, string? value, CancellationToken cancellationToken)
    {
        using var content = new StringContent(new JsonObject { ["metadata"] = new JsonObject { ["labels"] = new JsonObject { [LeaderLabel] = value } } }.ToJsonString(),
            System.Text.Encoding.UTF8, "application/merge-patch+json");
        using var response = await http.PatchAsync($"api/v1/namespaces/{ns}/pods/{pod}", content, cancellationToken);
        if (!response.IsSuccessStatusCode && response.StatusCode != HttpStatusCode.NotFound)
        {
            throw new InvalidOperationException($"cannot label the pod {ns}/{pod}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync(cancellationToken)}");
        }
    }

    // The operator's own username, as the API server sees it (a SelfSubjectReview).
    private async Task<string?> WhoAmIAsync(CancellationToken cancellationToken)
    {
        using var response = await http.PostAsJsonAsync("apis/authentication.k8s.io/v1/selfsubjectreviews",
            new JsonObject { ["apiVersion"] = "authentication.k8s.io/v1", ["kind"] = "SelfSubjectReview" }, cancellationToken);
        return response.IsSuccessStatusCode
            ? (string?)(await response.Content.ReadFromJsonAsync<JsonObject>(cancellationToken))?["status"]?["userInfo"]?["username"]
            : null;
    }

    private static partial class Log
    {
        [LoggerMessage(Level = LogLevel.Information, Message = "Registered the attribution webhook {Name} for {Count} resource type(s)")]
        public static partial void Registered(ILogger logger, string name, int count);
    }
}
