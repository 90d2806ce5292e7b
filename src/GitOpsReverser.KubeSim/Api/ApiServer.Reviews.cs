using System.Globalization;
using System.Text.Json.Nodes;
using GitOpsReverser.KubeSim.Security;
using GitOpsReverser.KubeSim.Storage;

namespace GitOpsReverser.KubeSim.Api;

/// <summary>
/// What is created but never stored: a ServiceAccount's TokenRequest (<c>kubectl create token</c>),
/// SelfSubjectAccessReview (<c>kubectl auth can-i</c>) and SelfSubjectReview (<c>kubectl auth whoami</c>).
/// </summary>
internal sealed partial class ApiServer
{
    private static readonly TimeSpan DefaultTokenLifetime = TimeSpan.FromHours(1);
    private static readonly TimeSpan MinimumTokenLifetime = TimeSpan.FromMinutes(10);

    private async Task CreateTokenAsync(HttpContext context, ResourceType type, string ns, string name)
    {
        var account = store.Get(type.GroupResource, StoredObject.KeyOf(ns, name)) ?? throw ApiException.NotFound(type, name);
        var request = await ReadObjectAsync(context);
        var spec = request["spec"] as JsonObject ?? new JsonObject();
        var seconds = spec["expirationSeconds"] is { } given ? given.GetValue<long>() : (long)DefaultTokenLifetime.TotalSeconds;
        if (seconds < MinimumTokenLifetime.TotalSeconds)
        {
            throw new ApiException(422, "Invalid",
                $"TokenRequest.authentication.k8s.io \"{name}\" is invalid: spec.expirationSeconds: Invalid value: {seconds}: may not specify a duration less than 10 minutes",
                new JsonObject { ["name"] = name, ["group"] = "authentication.k8s.io", ["kind"] = "TokenRequest" });
        }

        var uid = (string?)account.ToJsonObject()["metadata"]?["uid"] ?? "";
        var (token, expires) = authenticator.ServiceAccountTokens.Issue(ns, name, uid, TimeSpan.FromSeconds(seconds));
        var audiences = spec["audiences"] is JsonArray { Count: > 0 } wanted
            ? wanted.DeepClone()
            : new JsonArray("https://kubernetes.default.svc.cluster.local");
        await ApiResponses.WriteJsonAsync(context, 201, new JsonObject
        {
            ["kind"] = "TokenRequest",
            ["apiVersion"] = "authentication.k8s.io/v1",
            ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = ns, ["creationTimestamp"] = Timestamp(DateTimeOffset.UtcNow) },
            ["spec"] = new JsonObject
            {
                ["audiences"] = audiences,
                ["expirationSeconds"] = seconds,
                ["boundObjectRef"] = spec["boundObjectRef"]?.DeepClone(),
            },
            ["status"] = new JsonObject { ["token"] = token, ["expirationTimestamp"] = Timestamp(expires) },
        });
    }

    private async Task CreateReviewAsync(HttpContext context, UserInfo user, ResourceType type, string ns)
    {
        var review = await ReadObjectAsync(context);
        var spec = review["spec"] as JsonObject ?? new JsonObject();
        if (type.Kind == "Binding")
        {
            await BindAsync(context, user, ns, review);
            return;
        }

        var status = type.Kind switch
        {
            "SelfSubjectReview" => new JsonObject { ["userInfo"] = UserInfoJson(user) },
            "TokenReview" => TokenReviewStatus(spec),
            "SelfSubjectRulesReview" => new JsonObject
            {
                // What a real server answers when its authorizer cannot list rules (a webhook authorizer, say).
                ["resourceRules"] = new JsonArray(),
                ["nonResourceRules"] = new JsonArray(),
                ["incomplete"] = true,
                ["evaluationError"] = "KubeSim's authorizer does not enumerate rules; ask with kubectl auth can-i VERB RESOURCE",
            },
            "SubjectAccessReview" or "LocalSubjectAccessReview" => AccessReviewStatus(SubjectOf(spec), spec, type.Kind == "LocalSubjectAccessReview" ? ns : null),
            _ => AccessReviewStatus(user, spec, null),
        };

        var metadata = new JsonObject { ["creationTimestamp"] = null };
        if (type.Namespaced)
        {
            metadata["namespace"] = ns;
        }

        await ApiResponses.WriteJsonAsync(context, 201, new JsonObject
        {
            ["kind"] = type.Kind,
            ["apiVersion"] = type.GroupVersion,
            ["metadata"] = metadata,
            ["spec"] = spec.DeepClone(),
            ["status"] = status,
        });
    }

    private JsonObject AccessReviewStatus(UserInfo subject, JsonObject spec, string? localNamespace)
    {
        var attributes = AttributesOf(spec);
        if (localNamespace is not null && attributes.Namespace != localNamespace)
        {
            throw ApiException.BadRequest($"spec.resourceAttributes.namespace must match metadata.namespace ({localNamespace})");
        }

        var (allowed, reason) = authorizer.Authorize(subject, attributes);
        var status = new JsonObject { ["allowed"] = allowed };
        if (reason.Length > 0)
        {
            status["reason"] = reason;
        }

        return status;
    }

    private static UserInfo SubjectOf(JsonObject spec) => new(
        (string?)spec["user"] ?? "",
        [.. (spec["groups"] as JsonArray ?? []).Select(group => (string?)group ?? "")],
        (string?)spec["uid"] ?? "");

    private JsonObject TokenReviewStatus(JsonObject spec)
    {
        var token = (string?)spec["token"] ?? "";
        var reviewed = token.Length == 0 ? null : authenticator.Authenticate($"Bearer {token}");
        return reviewed is null
            ? new JsonObject { ["authenticated"] = false, ["user"] = new JsonObject(), ["error"] = "invalid bearer token" }
            : new JsonObject { ["authenticated"] = true, ["user"] = UserInfoJson(reviewed), ["audiences"] = new JsonArray("https://kubernetes.default.svc.cluster.local") };
    }

    private static JsonObject UserInfoJson(UserInfo user) => new()
    {
        ["username"] = user.Username,
        ["uid"] = user.Uid,
        ["groups"] = new JsonArray([.. user.Groups.Select(group => (JsonNode?)group)]),
    };

    // A Binding sets a Pod's node, as the scheduler's binding does, and is answered with a Status.
    private async Task BindAsync(HttpContext context, UserInfo user, string ns, JsonObject binding)
    {
        var pod = (string?)binding["metadata"]?["name"] ?? throw ApiException.BadRequest("metadata.name is required");
        var node = (string?)binding["target"]?["name"] ?? throw ApiException.BadRequest("target.name is required");
        var pods = catalog.Find("", "v1", "pods")!;
        var current = store.Get(pods.GroupResource, StoredObject.KeyOf(ns, pod)) ?? throw ApiException.NotFound(pods, pod);
        if (current.ToJsonObject()["spec"]?["nodeName"] is JsonValue bound && (string?)bound is { Length: > 0 } already)
        {
            throw new ApiException(409, "Conflict", $"Operation cannot be fulfilled on pods/binding \"{pod}\": pod {pod} is already assigned to node \"{already}\"",
                Status.Details(pods, pod));
        }

        await writer.PatchAsync(pods, ns, pod, PatchTypes.Merge, new JsonObject { ["spec"] = new JsonObject { ["nodeName"] = node } }, null,
            WriteContextOf(context, user), context.RequestAborted);
        await ApiResponses.WriteJsonAsync(context, 201, new JsonObject
        {
            ["kind"] = "Status",
            ["apiVersion"] = "v1",
            ["metadata"] = new JsonObject(),
            ["status"] = "Success",
            ["code"] = 201,
        });
    }

    private static RequestAttributes AttributesOf(JsonObject spec)
    {
        if (spec["nonResourceAttributes"] is JsonObject nonResource)
        {
            return RequestAttributes.NonResource((string?)nonResource["verb"] ?? "", (string?)nonResource["path"] ?? "");
        }

        var resource = spec["resourceAttributes"] as JsonObject
            ?? throw ApiException.BadRequest("exactly one of nonResourceAttributes or resourceAttributes must be specified");
        return new RequestAttributes(
            (string?)resource["verb"] ?? "", (string?)resource["group"] ?? "", (string?)resource["resource"] ?? "",
            Empty((string?)resource["subresource"]), Empty((string?)resource["name"]), Empty((string?)resource["namespace"]));
    }

    private static string? Empty(string? value) => string.IsNullOrEmpty(value) ? null : value;

    private static string Timestamp(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
}
