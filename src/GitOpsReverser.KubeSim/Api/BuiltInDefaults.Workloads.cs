using System.Security.Cryptography;
using System.Text.Json.Nodes;

namespace GitOpsReverser.KubeSim.Api;

/// <summary>
/// Pod specs wherever they appear (SetDefaults_PodSpec, containers, probes, volumes), the admission plugins every
/// cluster runs on a new Pod, and the Job registry's selector and labels.
/// </summary>
internal static partial class BuiltInDefaults
{
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
}
