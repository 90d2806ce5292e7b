using System.Security.Cryptography;
using System.Text.Json.Nodes;
using GitOpsReverser.KubeSim.Admission;
using GitOpsReverser.KubeSim.Patching;
using GitOpsReverser.KubeSim.Storage;
using GitOpsReverser.KubeSim.Validation;

namespace GitOpsReverser.KubeSim.Api;

/// <summary>
/// Every write, as the API server's registry performs it: decode and field validation, name
/// checks, optimistic concurrency, server-owned fields, the status split, generation, managedFields,
/// admission, then one store write (or none when nothing changed). Writes are serialized.
/// </summary>
internal sealed partial class ObjectWriter(ObjectStore store, ResourceCatalog catalog, AdmissionDispatcher admission, TimeProvider time)
{
    private const string GenerateNameAlphabet = "bcdfghjklmnpqrstvwxz2456789";
    private readonly SemaphoreSlim writeLock = new(1, 1);
    private ServiceIps? serviceIps;

    private ServiceIps ServiceIps => serviceIps ??= new ServiceIps(
        () => store.Snapshot("services", ObjectFilter.All).Select(service => (string?)service.ToJsonObject()["spec"]?["clusterIP"] ?? ""),
        () => store.Snapshot("services", ObjectFilter.All)
            .SelectMany(service => (service.ToJsonObject()["spec"]?["ports"] as JsonArray ?? []).Select(port => (long?)port?["nodePort"] ?? 0)));

    public async Task<StoredObject> CreateAsync(ResourceType type, string ns, JsonObject body, WriteContext context, CancellationToken cancellationToken)
    {
        await writeLock.WaitAsync(cancellationToken);
        try
        {
            var obj = Decode(type, ns, body, context);
            var metadata = ObjectRules.Metadata(obj);
            if (string.IsNullOrEmpty((string?)metadata["name"]) && (string?)metadata["generateName"] is { Length: > 0 } prefix)
            {
                metadata["name"] = prefix + RandomNumberGenerator.GetString(GenerateNameAlphabet, 5);
            }

            var name = (string?)metadata["name"];
            var causes = ObjectRules.ValidateName(type, name);
            if (causes.Count > 0)
            {
                throw ApiException.Invalid(type, name ?? "", causes);
            }

            return await CreateCoreAsync(type, ns, name!, obj, context, fromApply: false, cancellationToken);
        }
        finally
        {
            writeLock.Release();
        }
    }

    public async Task<StoredObject> UpdateAsync(
        ResourceType type, string ns, string name, JsonObject body, string? subresource, WriteContext context, CancellationToken cancellationToken)
    {
        await writeLock.WaitAsync(cancellationToken);
        try
        {
            var current = store.Get(type.GroupResource, StoredObject.KeyOf(ns, name)) ?? throw ApiException.NotFound(type, name);
            var obj = Decode(type, ns, body, context);
            var bodyName = (string?)obj["metadata"]?["name"];
            if (bodyName != name)
            {
                throw ApiException.BadRequest($"the name of the object ({bodyName}) does not match the name on the URL ({name})");
            }

            var requested = (string?)obj["metadata"]?["resourceVersion"];
            if (string.IsNullOrEmpty(requested) && type.IsCustom)
            {
                throw ApiException.Invalid(type, name,
                    [FieldError.Invalid("metadata.resourceVersion", new GoLiteral("0x0"), "must be specified for an update")]);
            }

            CheckPrecondition(type, name, current, requested);
            return await UpdateCoreAsync(type, current, obj, subresource, context, fromApply: false, cancellationToken);
        }
        finally
        {
            writeLock.Release();
        }
    }

    public async Task<(StoredObject Object, bool Created)> PatchAsync(
        ResourceType type, string ns, string name, string contentType, JsonNode? patch, string? subresource, WriteContext context,
        CancellationToken cancellationToken)
    {
        await writeLock.WaitAsync(cancellationToken);
        try
        {
            var current = store.Get(type.GroupResource, StoredObject.KeyOf(ns, name));
            if (contentType == PatchTypes.Apply)
            {
                return await ApplyAsync(type, ns, name, current, patch, subresource, context, cancellationToken);
            }

            if (current is null)
            {
                throw ApiException.NotFound(type, name);
            }

            var old = current.ToJsonObject();
            var patched = contentType switch
            {
                PatchTypes.Merge => JsonMergePatch.Apply(old, patch) as JsonObject
                    ?? throw ApiException.BadRequest("merge patch must be a JSON object"),
                PatchTypes.Json => JsonPatch.Apply(old, patch),
                PatchTypes.Strategic => StrategicMergePatch.Apply(old, patch as JsonObject
                    ?? throw ApiException.BadRequest("strategic merge patch must be a JSON object")),
                _ => throw ApiException.UnsupportedMediaType(contentType, PatchTypes.For(type)),
            };
            CheckPrecondition(type, name, current, (string?)patched["metadata"]?["resourceVersion"]);
            var obj = Decode(type, ns, patched, context);
            ObjectRules.Metadata(obj)["name"] = name;
            return (await UpdateCoreAsync(type, current, obj, subresource, context, fromApply: false, cancellationToken), false);
        }
        finally
        {
            writeLock.Release();
        }
    }

    /// <summary>Deletes an object: at once, or (with finalizers) by setting deletionTimestamp. Returns the object and whether it is gone.</summary>
    public async Task<(StoredObject Object, bool Gone)> DeleteAsync(
        ResourceType type, string ns, string name, JsonObject? options, WriteContext context, CancellationToken cancellationToken)
    {
        await writeLock.WaitAsync(cancellationToken);
        try
        {
            var current = store.Get(type.GroupResource, StoredObject.KeyOf(ns, name)) ?? throw ApiException.NotFound(type, name);
            var old = current.ToJsonObject();
            if (options?["preconditions"] is JsonObject preconditions)
            {
                if ((string?)preconditions["uid"] is { } uid && uid != (string?)old["metadata"]?["uid"])
                {
                    throw new ApiException(409, "Conflict",
                        $"Operation cannot be fulfilled on {type.QualifiedResource} \"{name}\": Precondition failed: UID in precondition: {uid}, UID in object meta: {(string?)old["metadata"]?["uid"]}",
                        Status.Details(type, name));
                }

                CheckPrecondition(type, name, current, (string?)preconditions["resourceVersion"]);
            }

            await admission.ReviewAsync(type, "DELETE", null, old, null, context, cancellationToken);
            if (context.DryRun)
            {
                return (current, true);
            }

            if (type.Kind == "Namespace" && !type.IsCustom)
            {
                return DeleteNamespace(type, current);
            }

            return DeleteOrFinalize(type, current);
        }
        finally
        {
            writeLock.Release();
        }
    }

    private async Task<StoredObject> CreateCoreAsync(
        ResourceType type, string ns, string name, JsonObject obj, WriteContext context, bool fromApply, CancellationToken cancellationToken)
    {
        CheckNamespaceAccepts(type, ns, name);
        if (store.Get(type.GroupResource, StoredObject.KeyOf(ns, name)) is not null)
        {
            throw ApiException.AlreadyExists(type, name);
        }

        var now = time.GetUtcNow();
        var metadata = ObjectRules.Metadata(obj);
        foreach (var serverField in new[] { "deletionTimestamp", "deletionGracePeriodSeconds", "selfLink", "resourceVersion" })
        {
            metadata.Remove(serverField);
        }

        metadata["uid"] = Guid.NewGuid().ToString();
        metadata["creationTimestamp"] = ObjectRules.Timestamp(now);
        if (type.HasStatus && !type.KeepsStatusOnCreate)
        {
            obj.Remove("status");
        }

        if (type.TracksGeneration)
        {
            metadata["generation"] = 1;
        }
        else
        {
            metadata.Remove("generation");
        }

        ApplyKindRules(type, obj, now, old: null);
        ObjectRules.ValidateMetadata(type, obj);
        ValidateCustomResource(type, obj, old: null);
        if (!fromApply)
        {
            metadata.Remove("managedFields");
            ManagedFields.RecordUpdate(null, obj, context.Manager, type.GroupVersion, null, ObjectRules.Timestamp(now));
        }

        await admission.ReviewAsync(type, "CREATE", null, null, obj, context, cancellationToken);
        return Commit(type, obj, context);
    }

    private async Task<StoredObject> UpdateCoreAsync(
        ResourceType type, StoredObject current, JsonObject desired, string? subresource, WriteContext context, bool fromApply,
        CancellationToken cancellationToken)
    {
        var old = current.ToJsonObject();
        var oldMetadata = ObjectRules.Metadata(old);
        JsonObject result;
        if (subresource == "status")
        {
            // The status subresource changes status and nothing else.
            result = old.DeepClone().AsObject();
            SetOrRemove(result, "status", desired["status"]);
            if (fromApply)
            {
                ObjectRules.Metadata(result)["managedFields"] = desired["metadata"]?["managedFields"]?.DeepClone();
            }
        }
        else
        {
            result = desired;
            if (type.HasStatus)
            {
                SetOrRemove(result, "status", old["status"]);
            }
        }

        var metadata = ObjectRules.Metadata(result);
        foreach (var serverField in new[] { "uid", "creationTimestamp", "deletionTimestamp", "deletionGracePeriodSeconds", "generation", "namespace", "name" })
        {
            SetOrRemove(metadata, serverField, oldMetadata[serverField]);
        }

        metadata.Remove("selfLink");
        metadata["resourceVersion"] = oldMetadata["resourceVersion"]?.DeepClone();
        if (!fromApply)
        {
            metadata["managedFields"] = oldMetadata["managedFields"]?.DeepClone();
        }

        var now = time.GetUtcNow();
        ApplyKindRules(type, result, now, old);
        ObjectRules.ValidateMetadata(type, result);
        ValidateCustomResource(type, result, old);
        if (type.TracksGeneration && ObjectRules.SpecChanged(type, old, result))
        {
            metadata["generation"] = ((long?)oldMetadata["generation"] ?? 0) + 1;
        }

        if (!fromApply)
        {
            ManagedFields.RecordUpdate(old, result, context.Manager, type.GroupVersion, subresource, ObjectRules.Timestamp(now));
        }

        // A write that changes nothing writes nothing: no new resourceVersion, no event. managedFields times
        // alone do not count, as the API server's field manager keeps them for an unchanged object.
        if (ManagedFields.EqualIgnoringTimes(old, result))
        {
            return current;
        }

        await admission.ReviewAsync(type, "UPDATE", subresource, old, result, context, cancellationToken);
        if (!context.DryRun && metadata["deletionTimestamp"] is not null && metadata["finalizers"] is not JsonArray { Count: > 0 })
        {
            // The last finalizer is gone: the object goes, and watchers see only its DELETED.
            return HardDelete(type, current.Key, result);
        }

        return Commit(type, result, context);
    }

    private StoredObject Commit(ResourceType type, JsonObject obj, WriteContext context)
    {
        if (context.DryRun)
        {
            return StoredObject.Create(type.GroupResource, obj, store.ResourceVersion);
        }

        var stored = store.Put(type.GroupResource, obj);
        if (type.GroupResource == "customresourcedefinitions.apiextensions.k8s.io")
        {
            catalog.PutCustomResourceDefinition(stored.Name, ResourceCatalog.TypesOf(obj));
        }

        return stored;
    }
}
