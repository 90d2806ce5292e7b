using System.Text.Json.Nodes;
using GitOpsReverser.KubeSim.Security;
using GitOpsReverser.KubeSim.Storage;

namespace GitOpsReverser.KubeSim.Api;

/// <summary>Patches and deletes, one object or a collection.</summary>
internal sealed partial class ApiServer
{
    private async Task PatchAsync(HttpContext context, UserInfo user, ResourceType type, string ns, string name, string? subresource)
    {
        var contentType = (context.Request.ContentType ?? "").Split(';')[0].Trim();
        if (!PatchTypes.For(type).Contains(contentType))
        {
            throw ApiException.UnsupportedMediaType(contentType, PatchTypes.For(type));
        }

        using var reader = new StreamReader(context.Request.Body);
        var text = await reader.ReadToEndAsync(context.RequestAborted);
        var patch = contentType == PatchTypes.Apply ? ParseJsonOrYaml(text) : ParseJson(text);
        var writeContext = WriteContextOf(context, user);
        var (result, created) = await writer.PatchAsync(type, ns, name, contentType, patch, subresource, writeContext, context.RequestAborted);
        AddWarnings(context, writeContext);
        await ApiResponses.WriteObjectAsync(context, created ? 201 : 200, type, result);
    }

    private async Task DeleteAsync(HttpContext context, UserInfo user, ResourceType type, string ns, string name)
    {
        var options = await ReadOptionalObjectAsync(context);
        var writeContext = WriteContextOf(context, user);
        if (context.Request.Query["dryRun"].ToString() == "All" || options?["dryRun"] is JsonArray { Count: > 0 })
        {
            writeContext = writeContext with { DryRun = true };
        }

        var (result, gone) = await writer.DeleteAsync(type, ns, name, options, writeContext, context.RequestAborted);

        // As the registries answer: an object still held by finalizers, or one whose registry returns
        // deleted objects, comes back itself; any other gets a Status naming it. 202 only when the caller
        // asked for cascading deletion with orphanDependents: false and the object is still there.
        if (gone && !type.ReturnsDeletedObject)
        {
            await ApiResponses.WriteJsonAsync(context, 200, Status.Success(type, name, (string?)result.ToJsonObject()["metadata"]?["uid"]));
            return;
        }

        var accepted = !gone && options?["orphanDependents"] is JsonValue orphan && orphan.TryGetValue<bool>(out var orphans) && !orphans;
        await ApiResponses.WriteObjectAsync(context, accepted ? 202 : 200, type, result);
    }

    private async Task DeleteCollectionAsync(HttpContext context, UserInfo user, ResourceType type, string? ns, IQueryCollection query)
    {
        if (type.Namespaced && ns is null)
        {
            throw ApiException.MethodNotAllowed("the server does not allow this method on the requested resource");
        }

        var filter = new ObjectFilter(ns, LabelSelector.Parse(query["labelSelector"]), FieldSelector.Parse(query["fieldSelector"]));
        var writeContext = WriteContextOf(context, user);
        var deleted = new List<StoredObject>();
        foreach (var stored in store.Snapshot(type.GroupResource, filter))
        {
            var (result, _) = await writer.DeleteAsync(type, stored.Namespace, stored.Name, null, writeContext, context.RequestAborted);
            deleted.Add(result);
        }

        await ApiResponses.WriteListAsync(context, type, new ListPage(deleted, store.ResourceVersion, null, null));
    }
}
