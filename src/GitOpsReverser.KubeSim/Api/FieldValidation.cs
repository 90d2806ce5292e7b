using System.Text.Json.Nodes;
using GitOpsReverser.KubeSim.Validation;

namespace GitOpsReverser.KubeSim.Api;

/// <summary>
/// Finds fields a kind does not know: for custom resources by walking the CRD's structural schema
/// (honouring <c>x-kubernetes-preserve-unknown-fields</c> and <c>additionalProperties</c>), for
/// built-in kinds at the top level and in metadata. Unknown fields are removed (pruned) unless
/// validation is Strict, where the caller refuses the request.
/// </summary>
internal static class FieldValidation
{
    public static List<string> RemoveUnknown(ResourceType type, JsonObject obj)
    {
        var unknown = new List<string>();
        foreach (var (key, value) in obj.ToList())
        {
            if (key is "apiVersion" or "kind")
            {
                continue;
            }

            if (key == "metadata")
            {
                if (value is JsonObject metadata)
                {
                    foreach (var field in metadata.Select(pair => pair.Key).Where(field => !BuiltInTypes.ObjectMetaFields.Contains(field)).ToList())
                    {
                        unknown.Add($"metadata.{field}");
                        metadata.Remove(field);
                    }
                }

                continue;
            }

            if (type.IsCustom)
            {
                var properties = type.Schema?["properties"] as JsonObject;
                if (type.Schema is null || PreservesUnknown(type.Schema))
                {
                    continue;
                }

                if (properties?[key] is JsonObject propertySchema)
                {
                    Pruning.RemoveUnknown(propertySchema, value, key, unknown);
                    continue;
                }
            }
            else if (type.KnownFields!.Contains(key))
            {
                continue;
            }

            unknown.Add(key);
            obj.Remove(key);
        }

        return unknown;
    }

    private static bool PreservesUnknown(JsonObject schema) => Keywords.IsTrue(schema, "x-kubernetes-preserve-unknown-fields");
}
