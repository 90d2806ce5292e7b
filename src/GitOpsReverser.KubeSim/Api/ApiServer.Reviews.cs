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

    private async Task CreateReviewAsync(HttpContext context, UserInfo user, ResourceType type)
    {
        var review = await ReadObjectAsync(context);
        var spec = review["spec"] as JsonObject ?? new JsonObject();
        JsonObject status;
        if (type.Kind == "SelfSubjectReview")
        {
            status = new JsonObject
            {
                ["userInfo"] = new JsonObject
                {
                    ["username"] = user.Username,
                    ["uid"] = user.Uid,
                    ["groups"] = new JsonArray([.. user.Groups.Select(group => (JsonNode?)group)]),
                },
            };
        }
        else
        {
            var (allowed, reason) = authorizer.Authorize(user, AttributesOf(spec));
            status = new JsonObject { ["allowed"] = allowed };
            if (reason.Length > 0)
            {
                status["reason"] = reason;
            }
        }

        await ApiResponses.WriteJsonAsync(context, 201, new JsonObject
        {
            ["kind"] = type.Kind,
            ["apiVersion"] = type.GroupVersion,
            ["metadata"] = new JsonObject { ["creationTimestamp"] = null },
            ["spec"] = spec.DeepClone(),
            ["status"] = status,
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
