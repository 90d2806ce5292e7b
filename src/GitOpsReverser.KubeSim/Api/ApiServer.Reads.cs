using System.Globalization;
using System.Text.Json.Nodes;
using GitOpsReverser.KubeSim.Storage;

namespace GitOpsReverser.KubeSim.Api;

/// <summary>Lists (pages, selectors, resourceVersion semantics) and watches.</summary>
internal sealed partial class ApiServer
{
    private ListPage List(ResourceType type, string? ns, IQueryCollection query)
    {
        var filter = new ObjectFilter(ns, LabelSelector.Parse(query["labelSelector"]), FieldSelector.Parse(query["fieldSelector"]));
        var limit = ParseInt(query["limit"], "limit") ?? 0;
        var resourceVersion = query["resourceVersion"].ToString();
        var match = query["resourceVersionMatch"].ToString();
        var token = query["continue"].ToString();
        if (token.Length > 0)
        {
            if (resourceVersion.Length > 0)
            {
                throw ApiException.BadRequest("specifying resource version is not allowed when using continue");
            }

            var (snapshot, afterKey) = ContinueToken.Decode(token);
            try
            {
                return store.List(type.GroupResource, filter, snapshot, afterKey, limit);
            }
            catch (ApiException error) when (error.Code == 410)
            {
                throw ApiException.Gone(
                    "The provided continue parameter is too old to display a consistent list result. You can start a new list " +
                    "without the continue parameter, or use the continue token in this response to retrieve the remainder of the results.");
            }
        }

        long? at = null;
        if (resourceVersion.Length > 0 && resourceVersion != "0")
        {
            var requested = ParseLong(resourceVersion, "resourceVersion");
            var current = store.ResourceVersion;
            if (requested > current)
            {
                throw new ApiException(504, "Timeout", $"Too large resource version: {requested}, current: {current}");
            }

            if (match == "Exact")
            {
                at = requested;
            }
        }
        else if (match == "Exact")
        {
            throw ApiException.BadRequest("resourceVersionMatch \"Exact\" is forbidden for resourceVersion \"0\" or an unset resourceVersion");
        }

        return store.List(type.GroupResource, filter, at, null, limit);
    }

    private async Task WatchAsync(HttpContext context, ResourceType type, RequestTarget target, IQueryCollection query)
    {
        var filter = new ObjectFilter(target.Namespace, LabelSelector.Parse(query["labelSelector"]), FieldSelector.Parse(query["fieldSelector"]));
        if (target.Name is not null)
        {
            filter = filter with { Fields = FieldSelector.Parse($"metadata.name={target.Name}") };
        }

        var resourceVersion = query["resourceVersion"].ToString();
        var bookmarks = query["allowWatchBookmarks"].ToString() == "true";
        var initialEvents = query["sendInitialEvents"].ToString() == "true";
        if (initialEvents && (query["resourceVersionMatch"].ToString() != "NotOlderThan" || !bookmarks))
        {
            throw new ApiException(422, "Invalid",
                "ListOptions.meta.k8s.io \"\" is invalid: resourceVersionMatch: Forbidden: sendInitialEvents requires setting " +
                "resourceVersionMatch to NotOlderThan and allowWatchBookmarks to true");
        }

        long? from = resourceVersion.Length == 0 || resourceVersion == "0" ? null : ParseLong(resourceVersion, "resourceVersion");
        var timeout = ParseInt(query["timeoutSeconds"], "timeoutSeconds") is { } seconds and > 0 ? TimeSpan.FromSeconds(seconds) : (TimeSpan?)null;
        Func<StoredObject, bool, JsonObject>? asTable = null;
        if (TableVersion(context) is { } tableVersion)
        {
            var includeObject = Tables.IncludeObject(query["includeObject"]);
            asTable = (stored, first) => Tables.Table(type, [stored], tableVersion, includeObject, time.GetUtcNow(), new JsonObject
            {
                ["resourceVersion"] = stored.ResourceVersion.ToString(CultureInfo.InvariantCulture),
            }, withColumns: first);
        }

        var watcher = store.Watch(type.GroupResource, filter, from, initialEvents, bookmarks);
        await WatchStream.RunAsync(context, type, store, watcher, timeout, options.BookmarkInterval, faults, asTable);
    }
}
