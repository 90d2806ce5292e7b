using System.ComponentModel;
using System.Reflection;
using System.Text.Json.Nodes;
using GitOpsReverser.Api.Schema;
using GitOpsReverser.Api.V1Alpha1;

namespace GitOpsReverser.CrdGen;

/// <summary>The CustomResourceDefinition of one of the operator's kinds, built from its type.</summary>
internal static class CrdBuilder
{
    /// <summary>The operator's kinds, in the order their files and reference tables come.</summary>
    public static IReadOnlyList<Type> Kinds { get; } = [typeof(GitRepoConfig), typeof(WatchRule), typeof(ClusterWatchRule)];

    public static string FileName(Type kind) => $"{ApiGroup.Group}_{kind.GetCustomAttribute<CustomResourceAttribute>()!.Plural}.yaml";

    public static JsonObject Build(Type kind)
    {
        var resource = kind.GetCustomAttribute<CustomResourceAttribute>() ?? throw new ArgumentException($"{kind} is not a custom resource", nameof(kind));
        var generic = kind.BaseType!.GetGenericArguments();
        var root = new JsonObject { ["type"] = "object" };
        if (kind.GetCustomAttribute<DescriptionAttribute>() is { } description)
        {
            root["description"] = SchemaBuilder.Plain(description.Description);
        }

        root["properties"] = new JsonObject
        {
            ["apiVersion"] = new JsonObject { ["type"] = "string" },
            ["kind"] = new JsonObject { ["type"] = "string" },
            ["metadata"] = new JsonObject { ["type"] = "object" },
            ["spec"] = SchemaBuilder.Of(generic[0]),
            ["status"] = SchemaBuilder.Of(generic[1]),
        };

        var columns = kind.GetCustomAttributes<PrinterColumnAttribute>().OrderBy(column => column.Order).Select(column =>
        {
            var entry = new JsonObject { ["name"] = column.Name, ["type"] = column.Type, ["jsonPath"] = column.JsonPath };
            if (column.Priority != 0)
            {
                entry["priority"] = column.Priority;
            }

            return (JsonNode)entry;
        });
        return new JsonObject
        {
            ["apiVersion"] = "apiextensions.k8s.io/v1",
            ["kind"] = "CustomResourceDefinition",
            ["metadata"] = new JsonObject { ["name"] = $"{resource.Plural}.{ApiGroup.Group}" },
            ["spec"] = new JsonObject
            {
                ["group"] = ApiGroup.Group,
                ["scope"] = resource.Namespaced ? "Namespaced" : "Cluster",
                ["names"] = new JsonObject
                {
                    ["plural"] = resource.Plural,
                    ["singular"] = resource.Kind.ToLowerInvariant(),
                    ["kind"] = resource.Kind,
                    ["listKind"] = resource.Kind + "List",
                    ["shortNames"] = new JsonArray(resource.ShortName),
                    ["categories"] = new JsonArray("gitops-reverser"),
                },
                ["versions"] = new JsonArray(new JsonObject
                {
                    ["name"] = ApiGroup.Version,
                    ["served"] = true,
                    ["storage"] = true,
                    ["subresources"] = new JsonObject { ["status"] = new JsonObject() },
                    ["additionalPrinterColumns"] = new JsonArray(columns.ToArray()),
                    ["schema"] = new JsonObject { ["openAPIV3Schema"] = root },
                }),
            },
        };
    }
}
