using System.Globalization;
using System.Text.Json.Nodes;
using GitOpsReverser.KubeSim.Storage;

namespace GitOpsReverser.KubeSim.Admission;

/// <summary>
/// Where a webhook's <c>clientConfig.service</c> leads, as the API server finds it through the Service's
/// endpoints: the Service in its namespace, a running, ready, not terminating pod its selector matches
/// (one with <c>status.podIP</c>; with <c>publishNotReadyAddresses</c> any pod that has not ended), and the Service port's <c>targetPort</c> (a number, or a container
/// port's name). The certificate must name <c>&lt;service&gt;.&lt;namespace&gt;.svc</c>.
/// </summary>
internal static class WebhookService
{
    public static (Uri Url, string ServerName) Resolve(JsonObject service, ObjectStore store)
    {
        var ns = (string?)service["namespace"] ?? throw new InvalidOperationException("clientConfig.service.namespace is required");
        var name = (string?)service["name"] ?? throw new InvalidOperationException("clientConfig.service.name is required");
        var port = (int?)service["port"] ?? 443;
        var path = (string?)service["path"] ?? "/";
        var stored = store.Get("services", StoredObject.KeyOf(ns, name))
            ?? throw new InvalidOperationException($"service \"{name}\" not found");
        var spec = stored.ToJsonObject()["spec"] as JsonObject ?? [];
        var servicePort = (spec["ports"] as JsonArray ?? []).OfType<JsonObject>().FirstOrDefault(candidate => (int?)candidate["port"] == port)
            ?? throw new InvalidOperationException($"service \"{name}\" has no port {port}");
        var selector = (spec["selector"] as JsonObject ?? []).ToDictionary(pair => pair.Key, pair => (string?)pair.Value);
        if (selector.Count == 0)
        {
            throw new InvalidOperationException($"service \"{name}\" has no selector");
        }

        // publishNotReadyAddresses: the endpoints controller lists every pod with an address that has not ended,
        // ready or not, terminating or not.
        var everyPod = (bool?)spec["publishNotReadyAddresses"] == true;
        foreach (var candidate in store.Snapshot("pods", new ObjectFilter(ns, null, null)).Select(pod => pod.ToJsonObject()))
        {
            var labels = candidate["metadata"]?["labels"] as JsonObject ?? [];
            var status = candidate["status"] as JsonObject;
            var ready = (status?["conditions"] as JsonArray ?? []).OfType<JsonObject>()
                .FirstOrDefault(condition => (string?)condition["type"] == "Ready") is not { } condition || (string?)condition["status"] == "True";
            var serving = everyPod
                ? (string?)status?["phase"] is not ("Succeeded" or "Failed")
                : (string?)status?["phase"] == "Running" && ready && candidate["metadata"]?["deletionTimestamp"] is null;
            if (selector.All(pair => (string?)labels[pair.Key] == pair.Value) && serving && (string?)status?["podIP"] is { Length: > 0 } ip)
            {
                var target = TargetPort(servicePort["targetPort"] ?? servicePort["port"], candidate);
                return (new Uri($"https://{ip}:{target.ToString(CultureInfo.InvariantCulture)}{path}"), $"{name}.{ns}.svc");
            }
        }

        throw new InvalidOperationException($"no endpoints available for service \"{name}\"");
    }

    private static int TargetPort(JsonNode? targetPort, JsonObject pod)
    {
        if (targetPort is JsonValue value && value.TryGetValue<int>(out var number))
        {
            return number;
        }

        var portName = (string?)targetPort;
        return (pod["spec"]?["containers"] as JsonArray ?? []).OfType<JsonObject>()
            .SelectMany(container => container["ports"] as JsonArray ?? []).OfType<JsonObject>()
            .Where(containerPort => (string?)containerPort["name"] == portName)
            .Select(containerPort => (int?)containerPort["containerPort"]).FirstOrDefault()
            ?? throw new InvalidOperationException($"no container port named \"{portName}\"");
    }
}
