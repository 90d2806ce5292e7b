using System.Text.Json.Nodes;
using GitOpsReverser.KubeSim.Storage;

namespace GitOpsReverser.KubeSim.Api;

/// <summary>Decoding and the deletion lifecycle: finalizers, namespace termination, CRD clean-up.</summary>
internal sealed partial class ObjectWriter
{
    private const string CrdResource = "customresourcedefinitions.apiextensions.k8s.io";

    /// <summary>Checks apiVersion, kind and namespace, and handles unknown fields by the request's fieldValidation.</summary>
    private static JsonObject Decode(ResourceType type, string ns, JsonObject body, WriteContext context)
    {
        var obj = body.DeepClone().AsObject();
        var apiVersion = (string?)obj["apiVersion"];
        var kind = (string?)obj["kind"];
        if (type.IsCustom && (apiVersion is null || kind is null))
        {
            throw ApiException.BadRequest($"Object 'Kind' is missing in '{body.ToJsonString()}'");
        }

        if (apiVersion is not null && apiVersion != type.GroupVersion)
        {
            throw ApiException.BadRequest(
                $"the API version in the data ({apiVersion}) does not match the expected API version ({type.GroupVersion})");
        }

        if (kind is not null && kind != type.Kind)
        {
            throw ApiException.BadRequest($"the kind in the data ({kind}) does not match the expected kind ({type.Kind})");
        }

        obj["apiVersion"] = type.GroupVersion;
        obj["kind"] = type.Kind;
        var metadata = ObjectRules.Metadata(obj);
        if (type.Namespaced)
        {
            var bodyNamespace = (string?)metadata["namespace"];
            if (!string.IsNullOrEmpty(bodyNamespace) && bodyNamespace != ns)
            {
                throw ApiException.BadRequest("the namespace of the provided object does not match the namespace sent on the request");
            }

            metadata["namespace"] = ns;
        }
        else
        {
            metadata.Remove("namespace");
        }

        if (type.GroupResource == "secrets")
        {
            ObjectRules.CheckSecretData(obj);
        }

        var unknown = FieldValidation.RemoveUnknown(type, obj);
        if (unknown.Count > 0)
        {
            switch (context.FieldValidation)
            {
                case "Strict":
                    throw ApiException.BadRequest(
                        "strict decoding error: " + string.Join(", ", unknown.Select(field => $"unknown field \"{field}\"")));
                case "Warn":
                    context.Warnings.AddRange(unknown.Select(field => $"unknown field \"{field}\""));
                    break;
            }
        }

        return obj;
    }

    private void CheckNamespaceAccepts(ResourceType type, string ns, string name)
    {
        if (!type.Namespaced)
        {
            return;
        }

        var nsObject = store.Get("namespaces", ns)
            ?? throw new ApiException(404, "NotFound", $"namespaces \"{ns}\" not found", new JsonObject { ["name"] = ns, ["kind"] = "namespaces" });
        if (nsObject.ToJsonObject()["metadata"]?["deletionTimestamp"] is not null)
        {
            throw new ApiException(403, "Forbidden",
                $"{type.QualifiedResource} \"{name}\" is forbidden: unable to create new content in namespace {ns} because it is being terminated",
                Status.Details(type, name));
        }
    }

    private (StoredObject Object, bool Gone) DeleteOrFinalize(ResourceType type, StoredObject current)
    {
        var obj = current.ToJsonObject();
        var metadata = ObjectRules.Metadata(obj);
        if (metadata["finalizers"] is JsonArray { Count: > 0 })
        {
            if (metadata["deletionTimestamp"] is not null)
            {
                return (current, false);
            }

            metadata["deletionTimestamp"] = ObjectRules.Timestamp(time.GetUtcNow());
            metadata["deletionGracePeriodSeconds"] = 0;
            if (metadata["generation"] is not null)
            {
                metadata["generation"] = (long)metadata["generation"]! + 1;
            }

            return (store.Put(type.GroupResource, obj), false);
        }

        if (type.GroupResource == CrdResource)
        {
            var served = ResourceCatalog.TypesOf(obj);
            if (served.Count > 0)
            {
                foreach (var customObject in store.Snapshot(served[0].GroupResource, ObjectFilter.All))
                {
                    store.Delete(customObject.GroupResource, customObject.Key);
                }
            }

            catalog.RemoveCustomResourceDefinition(current.Name);
        }

        return (HardDelete(type, current.Key, null), true);
    }

    private StoredObject HardDelete(ResourceType type, string key, JsonObject? finalState)
    {
        var final = store.Delete(type.GroupResource, key, finalState)!;
        if (type.Namespaced)
        {
            FinishNamespaceIfEmpty(final.Namespace);
        }

        return final;
    }

    // The namespace controller's work, done at once: delete everything inside, then the namespace
    // when nothing with a finalizer is left; otherwise it stays Terminating until the last one goes.
    private (StoredObject Object, bool Gone) DeleteNamespace(ResourceType type, StoredObject current)
    {
        var obj = current.ToJsonObject();
        var metadata = ObjectRules.Metadata(obj);
        if (metadata["deletionTimestamp"] is null)
        {
            metadata["deletionTimestamp"] = ObjectRules.Timestamp(time.GetUtcNow());
            obj["status"] = new JsonObject { ["phase"] = "Terminating" };
            current = store.Put(type.GroupResource, obj);
        }

        foreach (var contained in Contents(current.Name))
        {
            var containedType = catalog.Types.First(candidate => candidate.GroupResource == contained.GroupResource);
            DeleteOrFinalize(containedType, contained);
        }

        var remaining = store.Get(type.GroupResource, current.Key);
        return remaining is null ? (current, true) : FinishNamespaceIfEmpty(current.Name) ?? (remaining, false);
    }

    private (StoredObject Object, bool Gone)? FinishNamespaceIfEmpty(string ns)
    {
        var nsObject = store.Get("namespaces", ns);
        if (nsObject is null || nsObject.ToJsonObject()["metadata"]?["deletionTimestamp"] is null || Contents(ns).Any())
        {
            return null;
        }

        return (store.Delete("namespaces", ns)!, true);
    }

    private IEnumerable<StoredObject> Contents(string ns) =>
        catalog.Types.Where(type => type.Namespaced).Select(type => type.GroupResource).Distinct()
            .SelectMany(groupResource => store.Snapshot(groupResource, new ObjectFilter(ns, null, null)));
}
