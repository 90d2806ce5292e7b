using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;

namespace GitOpsReverser.KubeSim.Api;

/// <summary>
/// OpenAPI v3: the index at <c>/openapi/v3</c> and one document per group/version. Each kind has a
/// schema tagged with <c>x-kubernetes-group-version-kind</c> (a CRD's own schema for custom
/// resources) and a <c>patch</c> operation carrying the GVK and a <c>fieldValidation</c> parameter,
/// which is what kubectl checks before it sends <c>fieldValidation=Strict</c>. The patch operations
/// declare no request body, so kubectl computes strategic merge patches from its own built-in types.
/// </summary>
internal static class OpenApiDocuments
{
    public static JsonObject Index(IReadOnlyList<ResourceType> types, int revision)
    {
        var paths = new JsonObject();
        foreach (var groupVersion in types.Select(PathOf).Distinct())
        {
            var hash = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes($"{groupVersion}#{revision}")))[..32];
            paths[groupVersion] = new JsonObject { ["serverRelativeURL"] = $"/openapi/v3/{groupVersion}?hash={hash}" };
        }

        return new JsonObject { ["paths"] = paths };
    }

    /// <summary>The document for <c>api/v1</c> or <c>apis/{group}/{version}</c>, or null when nothing is served there.</summary>
    public static JsonObject? Document(IReadOnlyList<ResourceType> types, string groupVersionPath)
    {
        var served = types.Where(type => PathOf(type) == groupVersionPath).ToList();
        if (served.Count == 0)
        {
            return null;
        }

        var paths = new JsonObject();
        var schemas = new JsonObject();
        foreach (var type in served)
        {
            var gvk = new JsonObject { ["group"] = type.Group, ["version"] = type.Version, ["kind"] = type.Kind };
            var schemaName = SchemaName(type);
            var schema = type.Schema?.DeepClone().AsObject() ?? new JsonObject { ["type"] = "object" };
            schema["x-kubernetes-group-version-kind"] = new JsonArray(gvk.DeepClone());
            schemas[schemaName] = schema;

            var collection = type.Namespaced ? $"/{groupVersionPath}/namespaces/{{namespace}}/{type.Plural}" : $"/{groupVersionPath}/{type.Plural}";
            paths[$"{collection}/{{name}}"] = new JsonObject
            {
                ["patch"] = new JsonObject
                {
                    ["operationId"] = $"patch{type.Kind}",
                    ["parameters"] = new JsonArray(
                        QueryParameter("dryRun"),
                        QueryParameter("fieldManager"),
                        QueryParameter("fieldValidation"),
                        QueryParameter("force")),
                    ["responses"] = new JsonObject
                    {
                        ["200"] = new JsonObject
                        {
                            ["description"] = "OK",
                            ["content"] = new JsonObject
                            {
                                ["application/json"] = new JsonObject
                                {
                                    ["schema"] = new JsonObject { ["$ref"] = $"#/components/schemas/{schemaName}" },
                                },
                            },
                        },
                    },
                    ["x-kubernetes-action"] = "patch",
                    ["x-kubernetes-group-version-kind"] = gvk,
                },
            };
        }

        return new JsonObject
        {
            ["openapi"] = "3.0.0",
            ["info"] = new JsonObject { ["title"] = "Kubernetes", ["version"] = "v1.34.0-kubesim" },
            ["paths"] = paths,
            ["components"] = new JsonObject { ["schemas"] = schemas },
        };
    }

    private static string PathOf(ResourceType type) => type.Group.Length == 0 ? $"api/{type.Version}" : $"apis/{type.Group}/{type.Version}";

    private static string SchemaName(ResourceType type)
    {
        var group = type.Group.Length == 0 ? "io.k8s.api.core" : string.Join('.', type.Group.Split('.').Reverse());
        return $"{group}.{type.Version}.{type.Kind}";
    }

    private static JsonObject QueryParameter(string name) => new()
    {
        ["name"] = name,
        ["in"] = "query",
        ["schema"] = new JsonObject { ["type"] = "string", ["uniqueItems"] = true },
    };
}
