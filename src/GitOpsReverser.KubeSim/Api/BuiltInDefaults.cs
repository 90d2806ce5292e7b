using System.Text.Json.Nodes;

namespace GitOpsReverser.KubeSim.Api;

/// <summary>
/// What the API server adds to the built-in kinds users write most, so objects read back look like a real
/// cluster's: the <c>SetDefaults_*</c> functions of Kubernetes 1.34 (pod specs wherever they appear, containers,
/// probes, volumes, workloads, Services, PVCs), the admission plugins every cluster runs on Pods (ServiceAccount
/// with its token volume, DefaultTolerationSeconds, Priority), and what registries set on create (a Pod's
/// <c>status.phase: Pending</c>, a Job's selector and labels). A Service's IP comes from <see cref="ServiceIps"/>.
/// </summary>
internal static partial class BuiltInDefaults
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
