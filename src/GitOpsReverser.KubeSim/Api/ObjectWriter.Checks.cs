using System.Text.Json.Nodes;
using GitOpsReverser.KubeSim.Storage;
using GitOpsReverser.KubeSim.Validation;

namespace GitOpsReverser.KubeSim.Api;

/// <summary>What every write passes through: the kind's rules and defaults, custom resource validation, preconditions.</summary>
internal sealed partial class ObjectWriter
{
    private void ApplyKindRules(ResourceType type, JsonObject obj, DateTimeOffset now, JsonObject? old)
    {
        if (type.IsCustom)
        {
            SchemaDefaults.Apply(type.Schema, obj);
            return;
        }

        BuiltInDefaults.Apply(type, obj, old, ServiceIps);

        switch (type.GroupResource)
        {
            case "secrets":
                ObjectRules.FoldStringData(obj);
                OmitEmptyMaps(obj, "data");
                if (obj["type"] is null || (string?)obj["type"] == "")
                {
                    obj["type"] = "Opaque";
                }

                break;
            case "configmaps":
                OmitEmptyMaps(obj, "data", "binaryData");
                break;
            case "namespaces" when obj["status"] is null:
                ObjectRules.InitializeNamespace(obj);
                break;
            case "customresourcedefinitions.apiextensions.k8s.io":
                ObjectRules.AcceptCustomResourceDefinition(type, obj, now, old?["status"] as JsonObject);
                break;
        }
    }

    private static void ValidateCustomResource(ResourceType type, JsonObject obj, JsonObject? old)
    {
        if (type.IsCustom && type.Schema is { } schema && CustomResourceValidation.Validate(schema, obj, old) is { Count: > 0 } causes)
        {
            throw ApiException.Invalid(type, (string?)obj["metadata"]?["name"] ?? "", causes);
        }
    }

    private static void SetOrRemove(JsonObject target, string key, JsonNode? value)
    {
        if (value is null)
        {
            target.Remove(key);
        }
        else
        {
            target[key] = value.DeepClone();
        }
    }

    private static void CheckPrecondition(ResourceType type, string name, StoredObject current, string? requested)
    {
        if (!string.IsNullOrEmpty(requested) && requested != current.ResourceVersion.ToString(System.Globalization.CultureInfo.InvariantCulture))
        {
            throw ApiException.Conflict(type, name);
        }
    }

    /// <summary>
    /// Go's <c>omitempty</c> on a map field (a Secret's or ConfigMap's <c>data</c>): an empty map is not stored, so
    /// it is not returned either, as a real API server does.
    /// </summary>
    private static void OmitEmptyMaps(JsonObject obj, params string[] fields)
    {
        foreach (var field in fields)
        {
            if (obj[field] is JsonObject { Count: 0 })
            {
                obj.Remove(field);
            }
        }
    }
}
