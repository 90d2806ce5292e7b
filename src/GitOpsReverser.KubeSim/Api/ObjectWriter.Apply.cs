using System.Text.Json.Nodes;
using GitOpsReverser.KubeSim.Patching;
using GitOpsReverser.KubeSim.Storage;

namespace GitOpsReverser.KubeSim.Api;

/// <summary>Server-side apply: the object merged with what its field manager owned, created when missing.</summary>
internal sealed partial class ObjectWriter
{
    private async Task<(StoredObject Object, bool Created)> ApplyAsync(
        ResourceType type, string ns, string name, StoredObject? current, JsonNode? patch, string? subresource, WriteContext context,
        CancellationToken cancellationToken)
    {
        if (context.ManagerFromUserAgent)
        {
            throw ApiException.BadRequest("PATCH, with apply, requires the fieldManager query parameter");
        }

        if (patch is not JsonObject config)
        {
            throw ApiException.BadRequest("apply configuration must be an object");
        }

        if ((string?)config["apiVersion"] is null || (string?)config["kind"] is null)
        {
            throw ApiException.BadRequest("apiVersion and kind must be set in an apply configuration");
        }

        config = Decode(type, ns, config, context);
        var configName = (string?)config["metadata"]?["name"];
        if (configName != name)
        {
            throw ApiException.BadRequest($"the name of the object ({configName}) does not match the name on the URL ({name})");
        }

        if (type.HasStatus && subresource != "status")
        {
            config.Remove("status");
        }

        var now = ObjectRules.Timestamp(time.GetUtcNow());
        var merged = ServerSideApply.Apply(type, name, current?.ToJsonObject(), config, context.Manager, context.Force, subresource, now);
        if (current is null)
        {
            var causes = ObjectRules.ValidateName(type, name);
            if (causes.Count > 0)
            {
                throw ApiException.Invalid(type, name, causes);
            }

            return (await CreateCoreAsync(type, ns, name, merged, context, fromApply: true, cancellationToken), true);
        }

        CheckPrecondition(type, name, current, (string?)config["metadata"]?["resourceVersion"]);
        return (await UpdateCoreAsync(type, current, merged, subresource, context, fromApply: true, cancellationToken), false);
    }
}
