using System.Globalization;
using System.Text.Json.Nodes;

namespace GitOpsReverser.KubeSim.Api;

/// <summary>The API server's printers for the built-in kinds KubeSim prints as a real cluster does.</summary>
internal static partial class Tables
{
    private static readonly Dictionary<string, (PrinterColumn[] Columns, Func<JsonObject, DateTimeOffset, JsonNode?[]> Cells)> BuiltIn = new(StringComparer.Ordinal)
    {
        ["configmaps"] = (
            [NameColumn, new("Data", "integer", "Data contains the configuration data"), AgeColumn],
            (obj, now) => [Count(obj["data"]) + Count(obj["binaryData"]), Age(obj, now)]),
        ["secrets"] = (
            [NameColumn, new("Type", "string", "The type of the secret"), new("Data", "integer", "The number of entries in the data"), AgeColumn],
            (obj, now) => [(string?)obj["type"] ?? "", Count(obj["data"]), Age(obj, now)]),
        ["namespaces"] = (
            [NameColumn, new("Status", "string", "The status of the namespace"), AgeColumn],
            (obj, now) => [(string?)obj["status"]?["phase"] ?? "", Age(obj, now)]),
        ["serviceaccounts"] = (
            [NameColumn, new("Secrets", "string", "Secrets is a list of the secrets in the same namespace that pods running using this ServiceAccount are allowed to use."), AgeColumn],
            (obj, now) => [Count(obj["secrets"]), Age(obj, now)]),
        ["deployments.apps"] = (
            [
                NameColumn,
                new("Ready", "string", "Number of the pod with ready state"),
                new("Up-to-date", "string", "Total number of non-terminated pods targeted by this deployment that have the desired template spec."),
                new("Available", "string", "Total number of available pods (ready for at least minReadySeconds) targeted by this deployment."),
                AgeColumn,
                new("Containers", "string", "Names of each container in the template.", Priority: 1),
                new("Images", "string", "Images referenced by each container in the template.", Priority: 1),
                new("Selector", "string", "Label selector for pods. Existing ReplicaSets whose pods are selected by this will be the ones affected by this deployment.", Priority: 1),
            ],
            (obj, now) =>
            {
                var status = obj["status"];
                var containers = obj["spec"]?["template"]?["spec"]?["containers"] as JsonArray ?? [];
                return
                [
                    $"{Number(status?["readyReplicas"])}/{(obj["spec"]?["replicas"] is { } replicas ? Number(replicas) : 1)}",
                    Number(status?["updatedReplicas"]),
                    Number(status?["availableReplicas"]),
                    Age(obj, now),
                    string.Join(',', containers.Select(container => (string?)container?["name"])),
                    string.Join(',', containers.Select(container => (string?)container?["image"])),
                    Selector(obj["spec"]?["selector"] as JsonObject),
                ];
            }
        ),
        ["pods"] = (
            [
                NameColumn,
                new("Ready", "string", "The aggregate readiness state of this pod for accepting traffic."),
                new("Status", "string", "The aggregate status of the containers in this pod."),
                new("Restarts", "string", "The number of times the containers in this pod have been restarted and when the last container in this pod has restarted."),
                AgeColumn,
                new("IP", "string", "The IP address assigned to this pod", Priority: 1),
                new("Node", "string", "The name of the node assigned to this pod", Priority: 1),
                new("Nominated Node", "string", "The name of the node that the pod is nominated to run on", Priority: 1),
                new("Readiness Gates", "string", "Readiness gates of this pod", Priority: 1),
            ],
            (obj, now) =>
            {
                var statuses = obj["status"]?["containerStatuses"] as JsonArray ?? [];
                var containers = obj["spec"]?["containers"] as JsonArray ?? [];
                var ready = statuses.Count(status => (bool?)status?["ready"] == true);
                var restarts = statuses.Sum(status => (long?)status?["restartCount"] ?? 0);
                var phase = obj["metadata"]?["deletionTimestamp"] is not null
                    ? "Terminating"
                    : (string?)obj["status"]?["reason"] ?? (string?)obj["status"]?["phase"] ?? "";
                string OrNone(JsonNode? value) => value is null || (string?)value is "" ? "<none>" : (string)value!;
                return
                [
                    $"{ready}/{containers.Count}",
                    phase,
                    restarts.ToString(System.Globalization.CultureInfo.InvariantCulture),
                    Age(obj, now),
                    OrNone(obj["status"]?["podIP"]),
                    OrNone(obj["spec"]?["nodeName"]),
                    OrNone(obj["status"]?["nominatedNodeName"]),
                    "<none>",
                ];
            }
        ),
        ["services"] = (
            [
                NameColumn,
                new("Type", "string", "The type of the service"),
                new("Cluster-IP", "string", "The cluster IP of the service"),
                new("External-IP", "string", "The external IP of the service"),
                new("Port(s)", "string", "The ports of the service"),
                AgeColumn,
                new("Selector", "string", "Route service traffic to pods with label keys and values matching this selector.", Priority: 1),
            ],
            (obj, now) =>
            {
                var spec = obj["spec"] as JsonObject ?? [];
                var type = (string?)spec["type"] ?? "ClusterIP";
                var clusterIp = (string?)spec["clusterIP"];
                var ports = (spec["ports"] as JsonArray ?? []).Select(port => port?["nodePort"] is { } nodePort
                    ? $"{Number(port["port"])}:{Number(nodePort)}/{(string?)port["protocol"] ?? "TCP"}"
                    : $"{Number(port?["port"])}/{(string?)port?["protocol"] ?? "TCP"}").ToList();
                var selector = (spec["selector"] as JsonObject ?? []).Select(pair => $"{pair.Key}={(string?)pair.Value}").ToList();
                return
                [
                    type,
                    string.IsNullOrEmpty(clusterIp) ? "<none>" : clusterIp,
                    ExternalIp(type, spec, obj["status"]),
                    ports.Count == 0 ? "<none>" : string.Join(',', ports),
                    Age(obj, now),
                    selector.Count == 0 ? "<none>" : string.Join(',', selector),
                ];
            }
        ),
        ["jobs.batch"] = (
            [
                NameColumn,
                new("Status", "string", "Status of the job."),
                new("Completions", "string",
                    "The number of pods which reached phase Succeeded. The value increases monotonically for a given spec. However, it may decrease in reaction to scale down of elastic indexed jobs."),
                new("Duration", "string", "Time required to complete the job."),
                AgeColumn,
                new("Containers", "string", "Names of each container in the template.", Priority: 1),
                new("Images", "string", "Images referenced by each container in the template.", Priority: 1),
                new("Selector", "string",
                    "A label query over pods that should match the pod count. Normally, the system sets this field for you. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/labels/#label-selectors",
                    Priority: 1),
            ],
            (obj, now) =>
            {
                var spec = obj["spec"];
                var status = obj["status"];
                var succeeded = Number(status?["succeeded"]);
                var parallelism = spec?["parallelism"] is { } value ? Number(value) : 0;
                var completions = spec?["completions"] is { } wanted ? $"{succeeded}/{Number(wanted)}"
                    : parallelism > 1 ? $"{succeeded}/1 of {parallelism}"
                    : $"{succeeded}/1";
                var started = Time(status?["startTime"]);
                var completed = Time(status?["completionTime"]);
                var duration = started is null ? "" : HumanDuration((completed ?? now) - started.Value);
                var containers = spec?["template"]?["spec"]?["containers"] as JsonArray ?? [];
                return
                [
                    JobStatus(obj),
                    completions,
                    duration,
                    Age(obj, now),
                    string.Join(',', containers.Select(container => (string?)container?["name"])),
                    string.Join(',', containers.Select(container => (string?)container?["image"])),
                    Selector(spec?["selector"] as JsonObject),
                ];
            }
        ),
        ["nodes"] = (
            [
                NameColumn,
                new("Status", "string", "The status of the node"),
                new("Roles", "string", "The roles of the node"),
                AgeColumn,
                new("Version", "string", "Kubelet Version reported by the node."),
                new("Internal-IP", "string", NodeAddressesDescription, Priority: 1),
                new("External-IP", "string", NodeAddressesDescription, Priority: 1),
                new("OS-Image", "string", "OS Image reported by the node from /etc/os-release (e.g. Debian GNU/Linux 7 (wheezy)).", Priority: 1),
                new("Kernel-Version", "string", "Kernel Version reported by the node from 'uname -r' (e.g. 3.16.0-0.bpo.4-amd64).", Priority: 1),
                new("Container-Runtime", "string", "ContainerRuntime Version reported by the node through runtime remote API (e.g. containerd://1.4.2).", Priority: 1),
            ],
            (obj, now) =>
            {
                var info = obj["status"]?["nodeInfo"];
                string OrUnknown(JsonNode? value) => (string?)value is { Length: > 0 } text ? text : "<unknown>";
                return
                [
                    NodeStatus(obj),
                    NodeRoles(obj),
                    Age(obj, now),
                    (string?)info?["kubeletVersion"] ?? "",
                    NodeAddress(obj, "InternalIP"),
                    NodeAddress(obj, "ExternalIP"),
                    OrUnknown(info?["osImage"]),
                    OrUnknown(info?["kernelVersion"]),
                    OrUnknown(info?["containerRuntimeVersion"]),
                ];
            }
        ),
    };

    private static string Age(JsonObject obj, DateTimeOffset now) =>
        DateTimeOffset.TryParse((string?)obj["metadata"]?["creationTimestamp"], CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var created)
            ? HumanDuration(now - created)
            : "<unknown>";

    private static long Count(JsonNode? node) => node switch
    {
        JsonObject obj => obj.Count,
        JsonArray array => array.Count,
        _ => 0,
    };

    private static long Number(JsonNode? node) => node is JsonValue value && value.TryGetValue<double>(out var number) ? (long)number : 0;

    /// <summary>
    /// A label selector as apimachinery prints it (<c>metav1.FormatLabelSelector</c>): requirements sorted by key, values
    /// sorted, <c>app=web,tier in (a,b),!legacy</c>; <c>&lt;none&gt;</c> when it selects by nothing.
    /// </summary>
    internal static string Selector(JsonObject? selector)
    {
        var parts = new List<(string Key, string Text)>();
        foreach (var (key, value) in selector?["matchLabels"] as JsonObject ?? [])
        {
            parts.Add((key, $"{key}={(string?)value}"));
        }

        foreach (var expression in selector?["matchExpressions"] as JsonArray ?? [])
        {
            var key = (string?)expression?["key"] ?? "";
            var values = string.Join(',', (expression?["values"] as JsonArray ?? []).Select(value => (string?)value).Order(StringComparer.Ordinal));
            parts.Add((key, (string?)expression?["operator"] switch
            {
                "In" => $"{key} in ({values})",
                "NotIn" => $"{key} notin ({values})",
                "Exists" => key,
                "DoesNotExist" => $"!{key}",
                var other => $"{key} {other} ({values})",
            }));
        }

        return parts.Count == 0 ? "<none>" : string.Join(',', parts.OrderBy(part => part.Key, StringComparer.Ordinal).Select(part => part.Text));
    }

    private static string ExternalIp(string type, JsonObject spec, JsonNode? status)
    {
        var external = (spec["externalIPs"] as JsonArray ?? []).Select(ip => (string?)ip ?? "").ToList();
        switch (type)
        {
            case "ExternalName":
                return (string?)spec["externalName"] ?? "<none>";
            case "LoadBalancer":
                var ingress = (status?["loadBalancer"]?["ingress"] as JsonArray ?? [])
                    .Select(entry => (string?)entry?["ip"] ?? (string?)entry?["hostname"] ?? "").Where(address => address.Length > 0);
                var all = ingress.Concat(external).ToList();
                return all.Count == 0 ? "<pending>" : string.Join(',', all);
            default:
                return external.Count == 0 ? "<none>" : string.Join(',', external);
        }
    }

    private static DateTimeOffset? Time(JsonNode? node) =>
        DateTimeOffset.TryParse((string?)node, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time) ? time : null;

    private static bool HasCondition(JsonObject obj, string type) =>
        (obj["status"]?["conditions"] as JsonArray ?? []).Any(condition => (string?)condition?["type"] == type && (string?)condition?["status"] == "True");

    // printJob: the first that holds of Complete, Failed, Terminating, Suspended, FailureTarget, SuccessCriteriaMet; else Running.
    private static string JobStatus(JsonObject obj) =>
        HasCondition(obj, "Complete") ? "Complete"
        : HasCondition(obj, "Failed") ? "Failed"
        : obj["metadata"]?["deletionTimestamp"] is not null ? "Terminating"
        : HasCondition(obj, "Suspended") ? "Suspended"
        : HasCondition(obj, "FailureTarget") ? "FailureTarget"
        : HasCondition(obj, "SuccessCriteriaMet") ? "SuccessCriteriaMet"
        : "Running";
}
