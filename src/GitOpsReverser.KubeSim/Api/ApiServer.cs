using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using GitOpsReverser.KubeSim.Faults;
using GitOpsReverser.KubeSim.Hosting;
using GitOpsReverser.KubeSim.Security;
using GitOpsReverser.KubeSim.Storage;

namespace GitOpsReverser.KubeSim.Api;

/// <summary>
/// Routes every request as the API server does: health and version, authentication, the fault
/// endpoints, discovery, OpenAPI, then resources by verb. Every failure becomes a Status object.
/// </summary>
internal sealed partial class ApiServer(
    ResourceCatalog catalog, ObjectStore store, ObjectWriter writer, Authenticator authenticator, Authorizer authorizer, FaultInjector faults,
    KubeSimOptions options, TimeProvider time)
{
    private static readonly UserInfo Anonymous = new("kubesim-admin", ["system:masters", "system:authenticated"], "anonymous");

    // Lists started (first pages), by group/resource: GET /kubesim/stats shows them, so tests can count relists.
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, long> lists = new(StringComparer.Ordinal);

    /// <summary>host:port, for the core version document's serverAddressByClientCIDRs.</summary>
    public string ServerAddress { get; set; } = "127.0.0.1";

    public async Task HandleAsync(HttpContext context)
    {
        try
        {
            await DispatchAsync(context);
        }
        catch (ApiException error) when (!context.Response.HasStarted)
        {
            await ApiResponses.WriteErrorAsync(context, error);
        }
        catch (JsonException error) when (!context.Response.HasStarted)
        {
            await ApiResponses.WriteErrorAsync(context, ApiException.BadRequest($"the body of the request could not be decoded: {error.Message}"));
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            // The client went away.
        }
        catch (Exception error) when (!context.Response.HasStarted)
        {
            // A KubeSim bug: answer as the API server answers a panic, and say what happened on stderr.
            await Console.Error.WriteLineAsync($"kubesim: {context.Request.Method} {context.Request.Path}: {error}");
            await ApiResponses.WriteErrorAsync(context, new ApiException(500, "InternalError", $"Internal error occurred: {error.Message}"));
        }
    }

    private async Task DispatchAsync(HttpContext context)
    {
        var path = context.Request.Path.Value ?? "/";
        var segments = path.Split('/', StringSplitOptions.RemoveEmptyEntries);
        if (path is "/healthz" or "/livez" or "/readyz")
        {
            context.Response.ContentType = "text/plain; charset=utf-8";
            await context.Response.WriteAsync("ok");
            return;
        }

        if (path == "/version")
        {
            await ApiResponses.WriteJsonAsync(context, 200, Discovery.Version());
            return;
        }

        var user = authenticator.Authenticate(context.Request.Headers.Authorization.ToString())
            ?? (options.PlainHttp ? Anonymous : throw new ApiException(401, "Unauthorized", "Unauthorized"));
        if (segments.Length > 0 && segments[0] == "kubesim")
        {
            await HandleAdminAsync(context, user, segments);
            return;
        }

        if (faults.Latency > TimeSpan.Zero)
        {
            await Task.Delay(faults.Latency, context.RequestAborted);
        }

        if (faults.TakeFailure() is { } injected)
        {
            throw injected;
        }

        if (segments is ["api"] or ["api", _] or ["apis"] or ["apis", _] or ["apis", _, _] or ["openapi", ..])
        {
            var request = RequestAttributes.NonResource(context.Request.Method.ToLowerInvariant(), path);
            if (!authorizer.Authorize(user, request).Allowed)
            {
                throw new ApiException(403, "Forbidden", $"forbidden: {request.DeniedMessage(user)}", new JsonObject());
            }
        }

        switch (segments)
        {
            case ["api"]:
                await WriteDiscoveryAsync(context, core: true);
                return;
            case ["api", var version]:
                await ApiResponses.WriteJsonAsync(context, 200, version == "v1"
                    ? Discovery.ResourceList(catalog.Types, "", version)
                    : throw NotFoundPath());
                return;
            case ["api", var version, .. var rest]:
                await HandleResourceAsync(context, user, RequestTarget.Parse("", version, rest)!);
                return;
            case ["apis"]:
                await WriteDiscoveryAsync(context, core: false);
                return;
            case ["apis", var group]:
                await ApiResponses.WriteJsonAsync(context, 200, Discovery.GroupDocument(catalog.Types, group) ?? throw NotFoundPath());
                return;
            case ["apis", var group, var version]:
                if (!catalog.Types.Any(type => type.Group == group && type.Version == version))
                {
                    throw NotFoundPath();
                }

                await ApiResponses.WriteJsonAsync(context, 200, Discovery.ResourceList(catalog.Types, group, version));
                return;
            case ["apis", var group, var version, .. var rest]:
                await HandleResourceAsync(context, user, RequestTarget.Parse(group, version, rest)!);
                return;
            case ["openapi", "v3"]:
                await ApiResponses.WriteJsonAsync(context, 200, OpenApiDocuments.Index(catalog.Types, catalog.Revision));
                return;
            case ["openapi", "v3", .. var groupVersion]:
                await ApiResponses.WriteJsonAsync(context, 200,
                    OpenApiDocuments.Document(catalog.Types, string.Join('/', groupVersion)) ?? throw NotFoundPath());
                return;
            default:
                throw NotFoundPath();
        }
    }

    private Task WriteDiscoveryAsync(HttpContext context, bool core)
    {
        if (Discovery.WantsAggregated(context.Request.Headers.Accept.ToString()))
        {
            context.Response.Headers.Vary = "Accept";
            return ApiResponses.WriteJsonAsync(context, 200, Discovery.Aggregated(catalog.Types, core), Discovery.AggregatedContentType);
        }

        return ApiResponses.WriteJsonAsync(context, 200, core ? Discovery.CoreVersions(ServerAddress) : Discovery.GroupList(catalog.Types));
    }

    private async Task HandleResourceAsync(HttpContext context, UserInfo user, RequestTarget target)
    {
        var type = catalog.Find(target.Group, target.Version, target.Resource);
        var subresource = type?.Subresources.FirstOrDefault(candidate => candidate.Name == target.Subresource);
        if (type is null || target.Extra || (target.Namespace is not null && !type.Namespaced)
            || (target.Subresource is not null && !(target.Subresource == "status" && type.HasStatus) && subresource is null))
        {
            throw NotFoundPath();
        }

        var query = context.Request.Query;
        var watch = query["watch"].ToString() is "true" or "1";
        var method = context.Request.Method;
        var verb = method switch
        {
            "GET" when watch => "watch",
            "GET" => target.Name is null ? "list" : "get",
            "POST" => "create",
            "PUT" => "update",
            "PATCH" => "patch",
            "DELETE" => target.Name is null ? "deletecollection" : "delete",
            _ => throw ApiException.MethodNotAllowed("the server does not allow this method on the requested resource"),
        };
        var attributes = new RequestAttributes(verb, type.Group, type.Plural, target.Subresource, target.Name, target.Namespace);
        if (!authorizer.Authorize(user, attributes).Allowed)
        {
            throw Forbidden(user, attributes, type);
        }

        if (target.Subresource is null && !type.Verbs.Contains(verb))
        {
            throw ApiException.MethodNotAllowed("the server does not allow this method on the requested resource");
        }

        var ns = type.Namespaced ? target.Namespace ?? "" : "";
        if (subresource is not null)
        {
            if (!subresource.Verbs.Contains(verb) || target.Name is null)
            {
                throw ApiException.MethodNotAllowed("the server does not allow this method on the requested resource");
            }

            await HandleSubresourceAsync(context, user, type, ns, target.Name, subresource, verb);
            return;
        }

        if (type.IsReview)
        {
            if (verb != "create")
            {
                throw ApiException.MethodNotAllowed("the server does not allow this method on the requested resource");
            }

            await CreateReviewAsync(context, user, type, ns);
            return;
        }

        switch (verb)
        {
            case "get":
                var stored = store.Get(type.GroupResource, StoredObject.KeyOf(ns, target.Name!));
                if (stored is null || (type.Namespaced && target.Namespace is null))
                {
                    throw ApiException.NotFound(type, target.Name!);
                }

                if (TableVersion(context) is { } getTable)
                {
                    await ApiResponses.WriteJsonAsync(context, 200,
                        Tables.Table(type, [stored], getTable, Tables.IncludeObject(query["includeObject"]), time.GetUtcNow(), new JsonObject
                        {
                            ["resourceVersion"] = stored.ResourceVersion.ToString(CultureInfo.InvariantCulture),
                        }));
                    return;
                }

                await ApiResponses.WriteObjectAsync(context, 200, type, stored);
                return;
            case "list":
                if (string.IsNullOrEmpty(query["continue"]))
                {
                    lists.AddOrUpdate(type.GroupResource, 1, (_, count) => count + 1);
                }

                var page = List(type, target.Namespace, query);
                if (TableVersion(context) is { } listTable)
                {
                    await ApiResponses.WriteJsonAsync(context, 200,
                        Tables.Table(type, page.Items, listTable, Tables.IncludeObject(query["includeObject"]), time.GetUtcNow(), ApiResponses.ListMetadata(page)));
                    return;
                }

                await ApiResponses.WriteListAsync(context, type, page);
                return;
            case "watch":
                await WatchAsync(context, type, target, query);
                return;
            case "create":
                if (target.Name is not null || (type.Namespaced && target.Namespace is null))
                {
                    throw ApiException.MethodNotAllowed("the server does not allow this method on the requested resource");
                }

                var writeContext = WriteContextOf(context, user);
                var created = await writer.CreateAsync(type, ns, await ReadObjectAsync(context), writeContext, context.RequestAborted);
                AddWarnings(context, writeContext);
                await ApiResponses.WriteObjectAsync(context, 201, type, created);
                return;
            case "update":
                writeContext = WriteContextOf(context, user);
                var updated = await writer.UpdateAsync(type, ns, RequireName(target), await ReadObjectAsync(context),
                    target.Subresource, writeContext, context.RequestAborted);
                AddWarnings(context, writeContext);
                await ApiResponses.WriteObjectAsync(context, 200, type, updated);
                return;
            case "patch":
                await PatchAsync(context, user, type, ns, RequireName(target), target.Subresource);
                return;
            case "delete":
                await DeleteAsync(context, user, type, ns, RequireName(target));
                return;
            default:
                await DeleteCollectionAsync(context, user, type, target.Namespace, query);
                return;
        }
    }

    // kubectl get asks for a Table; the version asked for, or null for the object or list itself.
    private static string? TableVersion(HttpContext context) => Tables.RequestedVersion(context.Request.Headers.Accept.ToString());

    private static ApiException NotFoundPath() =>
        new(404, "NotFound", "the server could not find the requested resource", new JsonObject());

    private static ApiException Forbidden(UserInfo user, RequestAttributes attributes, ResourceType type)
    {
        var subject = attributes.Name is null ? type.QualifiedResource : $"{type.QualifiedResource} \"{attributes.Name}\"";
        return new ApiException(403, "Forbidden", $"{subject} is forbidden: {attributes.DeniedMessage(user)}", Status.Details(type, attributes.Name ?? ""));
    }
}
