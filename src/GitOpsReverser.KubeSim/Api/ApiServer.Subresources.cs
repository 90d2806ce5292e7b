using System.Globalization;
using System.Text.Json.Nodes;
using GitOpsReverser.KubeSim.Patching;
using GitOpsReverser.KubeSim.Security;
using GitOpsReverser.KubeSim.Storage;
using GitOpsReverser.KubeSim.Validation;

namespace GitOpsReverser.KubeSim.Api;

/// <summary>
/// The subresources beside status: a ServiceAccount's token, a Pod's log and exec, and the scale of Deployments,
/// ReplicaSets and StatefulSets. KubeSim runs no kubelet and schedules no Pod, so a Pod's log is empty and exec is
/// refused as a real API server refuses them for a Pod without a node; a Pod given a node by hand has nothing to reach.
/// </summary>
internal sealed partial class ApiServer
{
    private Task HandleSubresourceAsync(
        HttpContext context, UserInfo user, ResourceType type, string ns, string name, Subresource subresource, string verb) => subresource.Name switch
        {
            "token" => CreateTokenAsync(context, type, ns, name),
            "log" => PodLogAsync(context, type, ns, name),
            "exec" => PodExecAsync(context, type, ns, name),
            "scale" => ScaleAsync(context, user, type, ns, name, verb),
            _ => throw NotFoundPath(),
        };

    private async Task PodLogAsync(HttpContext context, ResourceType type, string ns, string name)
    {
        var pod = PodWithContainer(type, ns, name, context.Request.Query["container"].ToString(), out var container);
        if (string.IsNullOrEmpty((string?)pod["spec"]?["nodeName"]))
        {
            // The API server's LogLocation: a Pod without a node has no logs yet, and that is not an error.
            context.Response.StatusCode = 200;
            context.Response.ContentType = "text/plain";
            return;
        }

        throw NoKubelet(pod, $"containerLogs/{ns}/{name}/{container}");
    }

    private Task PodExecAsync(HttpContext context, ResourceType type, string ns, string name)
    {
        var pod = PodWithContainer(type, ns, name, context.Request.Query["container"].ToString(), out var container);
        if (string.IsNullOrEmpty((string?)pod["spec"]?["nodeName"]))
        {
            throw ApiException.BadRequest($"pod {name} does not have a host assigned");
        }

        throw NoKubelet(pod, $"exec/{ns}/{name}/{container}");
    }

    // streamLocation and LogLocation: the container named, or the only one; its name must be the Pod's.
    private JsonObject PodWithContainer(ResourceType type, string ns, string name, string container, out string chosen)
    {
        var pod = store.Get(type.GroupResource, StoredObject.KeyOf(ns, name))?.ToJsonObject() ?? throw ApiException.NotFound(type, name);
        static List<string> Names(JsonNode? containers) => (containers as JsonArray ?? []).Select(entry => (string?)entry?["name"] ?? "").ToList();
        var containers = Names(pod["spec"]?["containers"]);
        var initContainers = Names(pod["spec"]?["initContainers"]);
        if (container.Length > 0)
        {
            if (!containers.Concat(initContainers).Concat(Names(pod["spec"]?["ephemeralContainers"])).Contains(container))
            {
                throw ApiException.BadRequest($"container {container} is not valid for pod {name}");
            }

            chosen = container;
            return pod;
        }

        switch (containers.Count)
        {
            case 1:
                chosen = containers[0];
                return pod;
            case 0:
                throw ApiException.BadRequest($"a container name must be specified for pod {name}");
            default:
                var message = $"a container name must be specified for pod {name}, choose one of: [{string.Join(' ', containers)}]";
                throw ApiException.BadRequest(initContainers.Count > 0 ? $"{message} or one of the init containers: [{string.Join(' ', initContainers)}]" : message);
        }
    }

    private static ApiException NoKubelet(JsonObject pod, string path) =>
        new(500, "InternalError", $"Get \"https://{(string?)pod["spec"]?["nodeName"]}:10250/{path}\": KubeSim runs no kubelet");

    // GET answers the Scale; PUT and PATCH change the object's spec.replicas through an ordinary update.
    private async Task ScaleAsync(HttpContext context, UserInfo user, ResourceType type, string ns, string name, string verb)
    {
        var current = store.Get(type.GroupResource, StoredObject.KeyOf(ns, name)) ?? throw ApiException.NotFound(type, name);
        var scale = ScaleOf(current);
        if (verb == "get")
        {
            await ApiResponses.WriteJsonAsync(context, 200, scale);
            return;
        }

        JsonObject desired;
        if (verb == "update")
        {
            desired = await ReadObjectAsync(context);
        }
        else
        {
            var contentType = (context.Request.ContentType ?? "").Split(';')[0].Trim();
            using var reader = new StreamReader(context.Request.Body);
            var patch = ParseJson(await reader.ReadToEndAsync(context.RequestAborted));
            desired = contentType switch
            {
                PatchTypes.Merge or PatchTypes.Strategic => JsonMergePatch.Apply(scale, patch) as JsonObject
                    ?? throw ApiException.BadRequest("merge patch must be a JSON object"),
                PatchTypes.Json => JsonPatch.Apply(scale, patch),
                _ => throw ApiException.UnsupportedMediaType(contentType, [PatchTypes.Json, PatchTypes.Merge, PatchTypes.Strategic]),
            };
        }

        var replicas = desired["spec"]?["replicas"] is JsonValue value && JsonKind.TryInteger(value, out var count) ? count : 0;
        if (replicas < 0)
        {
            throw ApiException.Invalid("autoscaling", "Scale", name, [FieldError.Invalid("spec.replicas", replicas, "must be greater than or equal to 0")]);
        }

        var updated = current.ToJsonObject();
        ((JsonObject)(updated["spec"] ??= new JsonObject()))["replicas"] = replicas;
        if ((string?)desired["metadata"]?["resourceVersion"] is { Length: > 0 } resourceVersion)
        {
            updated["metadata"]!["resourceVersion"] = resourceVersion;
        }

        var writeContext = WriteContextOf(context, user);
        var stored = await writer.UpdateAsync(type, ns, name, updated, "scale", writeContext, context.RequestAborted);
        AddWarnings(context, writeContext);
        await ApiResponses.WriteJsonAsync(context, 200, ScaleOf(stored));
    }

    private static JsonObject ScaleOf(StoredObject stored)
    {
        var obj = stored.ToJsonObject();
        var metadata = obj["metadata"]!;
        var spec = new JsonObject();
        if (obj["spec"]?["replicas"] is JsonValue replicas && JsonKind.Integer(replicas) != 0)
        {
            spec["replicas"] = JsonKind.Integer(replicas);
        }

        var status = new JsonObject { ["replicas"] = obj["status"]?["replicas"] is JsonValue current ? JsonKind.Integer(current) : 0 };
        if (Tables.Selector(obj["spec"]?["selector"] as JsonObject) is var selector and not "<none>")
        {
            status["selector"] = selector;
        }

        return new JsonObject
        {
            ["kind"] = "Scale",
            ["apiVersion"] = "autoscaling/v1",
            ["metadata"] = new JsonObject
            {
                ["name"] = metadata["name"]?.DeepClone(),
                ["namespace"] = metadata["namespace"]?.DeepClone(),
                ["uid"] = metadata["uid"]?.DeepClone(),
                ["resourceVersion"] = stored.ResourceVersion.ToString(CultureInfo.InvariantCulture),
                ["creationTimestamp"] = metadata["creationTimestamp"]?.DeepClone(),
            },
            ["spec"] = spec,
            ["status"] = status,
        };
    }
}
