using System.Net;
using System.Security.Cryptography;
using System.Text.Json.Nodes;

namespace GitOpsReverser.KubeSim.Api;

/// <summary>
/// What the API server adds to the built-in kinds users write most, so objects read back look like a real
/// cluster's: the <c>SetDefaults_*</c> functions of Kubernetes 1.34 (pod specs wherever they appear, containers,
/// probes, volumes, workloads, Services, PVCs), the admission plugins every cluster runs on Pods (ServiceAccount
/// with its token volume, DefaultTolerationSeconds, Priority), and what registries set on create (a Pod's
/// <c>status.phase: Pending</c>, a Job's selector and labels). A Service's IP comes from <see cref="ServiceIps"/>.
/// </summary>
internal static class BuiltInDefaults
{
    private const string TokenMountPath = "/var/run/secrets/kubernetes.io/serviceaccount";
    private const string NameAlphabet = "bcdfghjklmnpqrstvwxz2456789";

    /// <summary>Defaults <paramref name="obj"/> of <paramref name="type"/>; <paramref name="old"/> is the stored object on an update.</summary>
    public static void Apply(ResourceType type, JsonObject obj, JsonObject? old, ServiceIps ips)
    {
        switch (type.GroupResource)
        {
            case "nodes":
                DefaultNode(obj);
                break;
            case "pods":
                DefaultPodSpec(Object(obj, "spec"), isPod: true);
                if (old is null)
                {
                    AdmitPod(obj);
                    obj["status"] = new JsonObject { ["phase"] = "Pending", ["qosClass"] = QosClass(Object(obj, "spec")) };
                }

                break;
            case "podtemplates":
            case "replicationcontrollers":
                DefaultTemplate(type.GroupResource == "podtemplates" ? obj : Object(obj, "spec"), "template");
                if (type.GroupResource == "replicationcontrollers")
                {
                    Default(Object(obj, "spec"), "replicas", 1);
                }

                break;
            case "deployments.apps":
                {
                    var spec = Object(obj, "spec");
                    Default(spec, "replicas", 1);
                    Default(spec, "revisionHistoryLimit", 10);
                    Default(spec, "progressDeadlineSeconds", 600);
                    var strategy = Object(spec, "strategy");
                    Default(strategy, "type", "RollingUpdate");
                    if ((string?)strategy["type"] == "RollingUpdate")
                    {
                        var rolling = Object(strategy, "rollingUpdate");
                        Default(rolling, "maxUnavailable", "25%");
                        Default(rolling, "maxSurge", "25%");
                    }

                    DefaultTemplate(spec, "template");
                    break;
                }

            case "statefulsets.apps":
                {
                    var spec = Object(obj, "spec");
                    Default(spec, "replicas", 1);
                    Default(spec, "podManagementPolicy", "OrderedReady");
                    Default(spec, "revisionHistoryLimit", 10);
                    var strategy = Object(spec, "updateStrategy");
                    Default(strategy, "type", "RollingUpdate");
                    if ((string?)strategy["type"] == "RollingUpdate")
                    {
                        Default(Object(strategy, "rollingUpdate"), "partition", 0);
                    }

                    var retention = Object(spec, "persistentVolumeClaimRetentionPolicy");
                    Default(retention, "whenDeleted", "Retain");
                    Default(retention, "whenScaled", "Retain");
                    foreach (var claim in (spec["volumeClaimTemplates"] as JsonArray ?? []).OfType<JsonObject>())
                    {
                        Default(claim, "apiVersion", "v1");
                        Default(claim, "kind", "PersistentVolumeClaim");
                        Default(Object(claim, "spec"), "volumeMode", "Filesystem");
                        claim["status"] ??= new JsonObject { ["phase"] = "Pending" };
                    }

                    DefaultTemplate(spec, "template");
                    break;
                }

            case "daemonsets.apps":
                {
                    var spec = Object(obj, "spec");
                    Default(spec, "revisionHistoryLimit", 10);
                    var strategy = Object(spec, "updateStrategy");
                    Default(strategy, "type", "RollingUpdate");
                    if ((string?)strategy["type"] == "RollingUpdate")
                    {
                        var rolling = Object(strategy, "rollingUpdate");
                        Default(rolling, "maxUnavailable", 1);
                        Default(rolling, "maxSurge", 0);
                    }

                    DefaultTemplate(spec, "template");
                    break;
                }

            case "replicasets.apps":
                Default(Object(obj, "spec"), "replicas", 1);
                DefaultTemplate(Object(obj, "spec"), "template");
                break;
            case "jobs.batch":
                DefaultJob(obj, old);
                break;
            case "cronjobs.batch":
                {
                    var spec = Object(obj, "spec");
                    Default(spec, "concurrencyPolicy", "Allow");
                    Default(spec, "suspend", false);
                    Default(spec, "successfulJobsHistoryLimit", 3);
                    Default(spec, "failedJobsHistoryLimit", 1);
                    DefaultTemplate(Object(Object(spec, "jobTemplate"), "spec"), "template");
                    break;
                }

            case "services":
                DefaultService(obj, old, ips);
                break;
            case "persistentvolumeclaims":
                Default(Object(obj, "spec"), "volumeMode", "Filesystem");
                if (old is null)
                {
                    obj["status"] = new JsonObject { ["phase"] = "Pending" };
                }

                break;
            case "persistentvolumes":
                Default(Object(obj, "spec"), "volumeMode", "Filesystem");
                Default(Object(obj, "spec"), "persistentVolumeReclaimPolicy", "Retain");
                if (old is null)
                {
                    obj["status"] = new JsonObject { ["phase"] = "Pending" };
                }

                break;
            case "ingresses.networking.k8s.io":
                if (old is null)
                {
                    obj["status"] = new JsonObject { ["loadBalancer"] = new JsonObject() };
                }

                break;
            case "networkpolicies.networking.k8s.io":
                {
                    var spec = Object(obj, "spec");
                    if (spec["policyTypes"] is null)
                    {
                        var types = new JsonArray("Ingress");
                        if (spec["egress"] is JsonArray { Count: > 0 })
                        {
                            types.Add("Egress");
                        }

                        spec["policyTypes"] = types;
                    }

                    foreach (var rule in (spec["ingress"] as JsonArray ?? []).Concat(spec["egress"] as JsonArray ?? []).OfType<JsonObject>())
                    {
                        DefaultProtocols(rule["ports"] as JsonArray);
                    }

                    break;
                }

            case "endpoints":
                foreach (var subset in (obj["subsets"] as JsonArray ?? []).OfType<JsonObject>())
                {
                    DefaultProtocols(subset["ports"] as JsonArray);
                }

                break;
            case "priorityclasses.scheduling.k8s.io":
                Default(obj, "preemptionPolicy", "PreemptLowerPriority");
                break;
            case "horizontalpodautoscalers.autoscaling":
                {
                    var spec = Object(obj, "spec");
                    Default(spec, "minReplicas", 1);
                    if (type.Version == "v2" && spec["metrics"] is null)
                    {
                        spec["metrics"] = new JsonArray(new JsonObject
                        {
                            ["type"] = "Resource",
                            ["resource"] = new JsonObject
                            {
                                ["name"] = "cpu",
                                ["target"] = new JsonObject { ["type"] = "Utilization", ["averageUtilization"] = 80 },
                            },
                        });
                    }

                    break;
                }
        }
    }

    // SetDefaults_PodSpec and the container, probe and volume defaults beneath it.
    private static void DefaultPodSpec(JsonObject spec, bool isPod)
    {
        Default(spec, "dnsPolicy", "ClusterFirst");
        Default(spec, "restartPolicy", "Always");
        Default(spec, "terminationGracePeriodSeconds", 30);
        Default(spec, "securityContext", new JsonObject());
        Default(spec, "schedulerName", "default-scheduler");
        if (isPod)
        {
            Default(spec, "enableServiceLinks", true);
        }

        foreach (var list in new[] { "initContainers", "containers", "ephemeralContainers" })
        {
            foreach (var container in (spec[list] as JsonArray ?? []).OfType<JsonObject>())
            {
                DefaultContainer(container);
            }
        }

        foreach (var volume in (spec["volumes"] as JsonArray ?? []).OfType<JsonObject>())
        {
            foreach (var source in new[] { "secret", "configMap", "projected", "downwardAPI" })
            {
                if (volume[source] is JsonObject sourceObject)
                {
                    Default(sourceObject, "defaultMode", 420);
                }
            }

            if (volume["hostPath"] is JsonObject hostPath)
            {
                Default(hostPath, "type", "");
            }
        }
    }

    private static void DefaultContainer(JsonObject container)
    {
        Default(container, "terminationMessagePath", "/dev/termination-log");
        Default(container, "terminationMessagePolicy", "File");
        Default(container, "imagePullPolicy", IsLatest((string?)container["image"] ?? "") ? "Always" : "IfNotPresent");
        Default(container, "resources", new JsonObject());
        DefaultProtocols(container["ports"] as JsonArray);
        foreach (var env in (container["env"] as JsonArray ?? []).OfType<JsonObject>())
        {
            if (env["valueFrom"]?["fieldRef"] is JsonObject fieldRef)
            {
                Default(fieldRef, "apiVersion", "v1");
            }
        }

        foreach (var name in new[] { "livenessProbe", "readinessProbe", "startupProbe" })
        {
            if (container[name] is JsonObject probe)
            {
                Default(probe, "timeoutSeconds", 1);
                Default(probe, "periodSeconds", 10);
                Default(probe, "successThreshold", 1);
                Default(probe, "failureThreshold", 3);
                if (probe["httpGet"] is JsonObject httpGet)
                {
                    Default(httpGet, "scheme", "HTTP");
                }
            }
        }
    }

    // The admission plugins every cluster runs on a new Pod: ServiceAccount (the account, and its token as a
    // projected volume in every container), DefaultTolerationSeconds and Priority.
    private static void AdmitPod(JsonObject pod)
    {
        var spec = Object(pod, "spec");
        var account = (string?)spec["serviceAccountName"] ?? (string?)spec["serviceAccount"] ?? "default";
        spec["serviceAccountName"] = account;
        spec["serviceAccount"] = account;
        if (spec["automountServiceAccountToken"] is not JsonValue mount || mount.GetValue<bool>())
        {
            var volumeName = "kube-api-access-" + RandomNumberGenerator.GetString(NameAlphabet, 5);
            var volumes = spec["volumes"] as JsonArray ?? [];
            spec["volumes"] = volumes;
            volumes.Add(TokenVolume(volumeName));
            foreach (var list in new[] { "initContainers", "containers" })
            {
                foreach (var container in (spec[list] as JsonArray ?? []).OfType<JsonObject>())
                {
                    var mounts = container["volumeMounts"] as JsonArray ?? [];
                    container["volumeMounts"] = mounts;
                    mounts.Add(new JsonObject { ["name"] = volumeName, ["readOnly"] = true, ["mountPath"] = TokenMountPath });
                }
            }
        }

        var tolerations = spec["tolerations"] as JsonArray ?? [];
        foreach (var key in new[] { "node.kubernetes.io/not-ready", "node.kubernetes.io/unreachable" })
        {
            if (!tolerations.OfType<JsonObject>().Any(toleration => (string?)toleration["key"] == key && (string?)toleration["effect"] is null or "NoExecute"))
            {
                tolerations.Add(new JsonObject { ["key"] = key, ["operator"] = "Exists", ["effect"] = "NoExecute", ["tolerationSeconds"] = 300 });
            }
        }

        spec["tolerations"] = tolerations;
        if (spec["priorityClassName"] is null)
        {
            Default(spec, "priority", 0);
        }

        Default(spec, "preemptionPolicy", "PreemptLowerPriority");
    }

    // A Node's spec and status are structs, never omitted: an empty spec, and a status with its daemon endpoint and node
    // info, whatever the kubelet has not reported yet; allocatable defaults to capacity.
    private static void DefaultNode(JsonObject node)
    {
        Object(node, "spec");
        var status = Object(node, "status");
        Default(Object(Object(status, "daemonEndpoints"), "kubeletEndpoint"), "Port", 0);
        var info = Object(status, "nodeInfo");
        foreach (var field in new[]
        {
            "machineID", "systemUUID", "bootID", "kernelVersion", "osImage", "containerRuntimeVersion", "kubeletVersion", "kubeProxyVersion",
            "operatingSystem", "architecture",
        })
        {
            Default(info, field, "");
        }

        if (status["allocatable"] is null && status["capacity"] is JsonObject capacity)
        {
            status["allocatable"] = capacity.DeepClone();
        }
    }

    private static JsonObject TokenVolume(string name) => new()
    {
        ["name"] = name,
        ["projected"] = new JsonObject
        {
            ["defaultMode"] = 420,
            ["sources"] = new JsonArray(
                new JsonObject { ["serviceAccountToken"] = new JsonObject { ["expirationSeconds"] = 3607, ["path"] = "token" } },
                new JsonObject
                {
                    ["configMap"] = new JsonObject
                    {
                        ["name"] = "kube-root-ca.crt",
                        ["items"] = new JsonArray(new JsonObject { ["key"] = "ca.crt", ["path"] = "ca.crt" }),
                    },
                },
                new JsonObject
                {
                    ["downwardAPI"] = new JsonObject
                    {
                        ["items"] = new JsonArray(new JsonObject
                        {
                            ["fieldRef"] = new JsonObject { ["apiVersion"] = "v1", ["fieldPath"] = "metadata.namespace" },
                            ["path"] = "namespace",
                        }),
                    },
                }),
        },
    };

    // BestEffort without requests or limits; Guaranteed when every container limits cpu and memory with equal requests.
    private static string QosClass(JsonObject spec)
    {
        var containers = (spec["containers"] as JsonArray ?? []).OfType<JsonObject>().ToList();
        var resources = containers.Select(container => container["resources"] as JsonObject ?? []).ToList();
        if (resources.All(r => r["requests"] is not JsonObject { Count: > 0 } && r["limits"] is not JsonObject { Count: > 0 }))
        {
            return "BestEffort";
        }

        var guaranteed = resources.All(r =>
            r["limits"] is JsonObject limits && limits["cpu"] is not null && limits["memory"] is not null
            && (r["requests"] is not JsonObject requests || requests.All(pair => JsonNode.DeepEquals(pair.Value, limits[pair.Key]))));
        return guaranteed ? "Guaranteed" : "Burstable";
    }

    private static void DefaultTemplate(JsonObject owner, string field)
    {
        var template = Object(owner, field);
        DefaultPodSpec(Object(template, "spec"), isPod: false);
    }

    // SetDefaults_Job, and the Job registry's generated selector and labels on create.
    private static void DefaultJob(JsonObject job, JsonObject? old)
    {
        var spec = Object(job, "spec");
        if (spec["completions"] is null && spec["parallelism"] is null)
        {
            spec["completions"] = 1;
            spec["parallelism"] = 1;
        }

        Default(spec, "parallelism", 1);
        Default(spec, "backoffLimit", 6);
        Default(spec, "completionMode", "NonIndexed");
        Default(spec, "suspend", false);
        if (spec["podFailurePolicy"] is null)
        {
            Default(spec, "podReplacementPolicy", "TerminatingOrFailed");
        }

        var template = Object(spec, "template");
        var metadata = ObjectRules.Metadata(job);
        if (metadata["labels"] is not JsonObject { Count: > 0 } && template["metadata"]?["labels"] is JsonObject templateLabels)
        {
            metadata["labels"] = templateLabels.DeepClone();
        }

        DefaultPodSpec(Object(template, "spec"), isPod: false);
        if (spec["manualSelector"] is JsonValue manual && manual.GetValue<bool>())
        {
            return;
        }

        var uid = old is null ? (string?)metadata["uid"] : (string?)old["metadata"]?["uid"];
        var name = (string?)metadata["name"] ?? "";
        if (old is null && uid is not null)
        {
            spec["selector"] = new JsonObject { ["matchLabels"] = new JsonObject { ["batch.kubernetes.io/controller-uid"] = uid } };
            var labels = Object(Object(template, "metadata"), "labels");
            labels["batch.kubernetes.io/controller-uid"] = uid;
            labels["batch.kubernetes.io/job-name"] = name;
            labels["controller-uid"] = uid;
            labels["job-name"] = name;
        }
        else if (old?["spec"]?["selector"] is { } selector)
        {
            spec["selector"] ??= selector.DeepClone();
        }
    }

    private static void DefaultService(JsonObject service, JsonObject? old, ServiceIps ips)
    {
        var spec = Object(service, "spec");
        Default(spec, "type", "ClusterIP");
        var type = (string?)spec["type"];
        if (type == "ExternalName")
        {
            return;
        }

        Default(spec, "sessionAffinity", "None");
        Default(spec, "internalTrafficPolicy", "Cluster");
        foreach (var port in (spec["ports"] as JsonArray ?? []).OfType<JsonObject>())
        {
            Default(port, "protocol", "TCP");
            // An unset targetPort (0 or "" from a protobuf body) becomes the port, as SetDefaults_Service does.
            if (IsUnsetTargetPort(port["targetPort"]) && port["port"] is { } number)
            {
                port["targetPort"] = number.DeepClone();
            }
        }

        if (type is "NodePort" or "LoadBalancer")
        {
            Default(spec, "externalTrafficPolicy", "Cluster");
            if (type == "LoadBalancer")
            {
                Default(spec, "allocateLoadBalancerNodePorts", true);
            }

            // Node ports from 30000-32767 for ports without one; on an update an omitted one keeps the old.
            var oldPorts = (old?["spec"]?["ports"] as JsonArray ?? []).OfType<JsonObject>().ToList();
            if (type == "NodePort" || spec["allocateLoadBalancerNodePorts"] is not JsonValue allocate || allocate.GetValue<bool>())
            {
                foreach (var port in (spec["ports"] as JsonArray ?? []).OfType<JsonObject>().Where(port => port["nodePort"] is null))
                {
                    var kept = oldPorts.FirstOrDefault(previous => JsonNode.DeepEquals(previous["port"], port["port"])
                        && JsonNode.DeepEquals(previous["protocol"], port["protocol"]))?["nodePort"];
                    port["nodePort"] = kept?.DeepClone() ?? ips.AllocateNodePort();
                }
            }
        }

        // On an update an omitted clusterIP keeps the allocated one, as the Service registry does.
        var oldSpec = old?["spec"] as JsonObject;
        foreach (var field in new[] { "clusterIP", "clusterIPs", "ipFamilies", "ipFamilyPolicy" })
        {
            if (spec[field] is null && oldSpec?[field] is { } kept)
            {
                spec[field] = kept.DeepClone();
            }
        }

        if (spec["clusterIP"] is null)
        {
            spec["clusterIP"] = ips.Allocate();
        }

        spec["clusterIPs"] ??= new JsonArray((string?)spec["clusterIP"]);
        spec["ipFamilies"] ??= new JsonArray("IPv4");
        spec["ipFamilyPolicy"] ??= "SingleStack";
        if (old is null)
        {
            service["status"] = new JsonObject { ["loadBalancer"] = new JsonObject() };
        }
    }

    private static bool IsUnsetTargetPort(JsonNode? targetPort) =>
        targetPort is null || (targetPort is JsonValue value && ((value.TryGetValue<long>(out var number) && number == 0)
            || (value.TryGetValue<string>(out var text) && text.Length == 0)));

    private static void DefaultProtocols(JsonArray? ports)
    {
        foreach (var port in (ports ?? []).OfType<JsonObject>())
        {
            Default(port, "protocol", "TCP");
        }
    }

    private static bool IsLatest(string image)
    {
        if (image.Contains('@', StringComparison.Ordinal))
        {
            return false;
        }

        var colon = image.LastIndexOf(':');
        return colon <= image.LastIndexOf('/') || image[(colon + 1)..] == "latest";
    }

    private static JsonObject Object(JsonObject parent, string field)
    {
        if (parent[field] is not JsonObject child)
        {
            parent[field] = child = [];
        }

        return child;
    }

    private static void Default(JsonObject target, string field, JsonNode? value)
    {
        if (target[field] is null)
        {
            target[field] = value;
        }
    }
}

/// <summary>
/// Cluster IPs for Services from the default service CIDR 10.96.0.0/12, as the API server's allocator hands them
/// out: each once (a taken address is never given twice while its Service exists), <c>10.96.0.1</c> kept for the
/// <c>kubernetes</c> Service; and node ports from 30000-32767.
/// </summary>
internal sealed class ServiceIps(Func<IEnumerable<string>> taken, Func<IEnumerable<long>> takenNodePorts)
{
    private static readonly uint First = ToNumber(IPAddress.Parse("10.96.0.2"));
    private static readonly uint Last = ToNumber(IPAddress.Parse("10.111.255.254"));

    public string Allocate()
    {
        var used = taken().ToHashSet(StringComparer.Ordinal);
        for (var attempt = 0; attempt < 64; attempt++)
        {
            var candidate = new IPAddress(BitConverterBigEndian(First + (uint)RandomNumberGenerator.GetInt32((int)(Last - First)))).ToString();
            if (!used.Contains(candidate))
            {
                return candidate;
            }
        }

        for (var number = First; number <= Last; number++)
        {
            var candidate = new IPAddress(BitConverterBigEndian(number)).ToString();
            if (!used.Contains(candidate))
            {
                return candidate;
            }
        }

        throw new ApiException(500, "InternalError", "failed to allocate a serviceIP: range is full", null);
    }

    public int AllocateNodePort()
    {
        var used = takenNodePorts().ToHashSet();
        var start = RandomNumberGenerator.GetInt32(30000, 32768);
        for (var offset = 0; offset < 2768; offset++)
        {
            var candidate = 30000 + ((start - 30000 + offset) % 2768);
            if (!used.Contains(candidate))
            {
                return candidate;
            }
        }

        throw new ApiException(500, "InternalError", "failed to allocate a nodePort: range is full", null);
    }

    private static uint ToNumber(IPAddress address)
    {
        var bytes = address.GetAddressBytes();
        return ((uint)bytes[0] << 24) | ((uint)bytes[1] << 16) | ((uint)bytes[2] << 8) | bytes[3];
    }

    private static byte[] BitConverterBigEndian(uint number) => [(byte)(number >> 24), (byte)(number >> 16), (byte)(number >> 8), (byte)number];
}
