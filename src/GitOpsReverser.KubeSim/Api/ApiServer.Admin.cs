using System.Globalization;
using System.Text.Json.Nodes;
using GitOpsReverser.KubeSim.Security;

namespace GitOpsReverser.KubeSim.Api;

/// <summary>
/// The fault endpoints (administrators only), all POST:
/// <c>/kubesim/faults/close-watches</c>, <c>/kubesim/faults/compact</c>,
/// <c>/kubesim/faults/latency?milliseconds=N</c>, <c>/kubesim/faults/fail?count=N&amp;code=500|429&amp;retryAfter=S</c>,
/// <c>/kubesim/faults/stall-watches?stalled=true|false</c>, <c>/kubesim/faults/clear</c>;
/// and GET <c>/kubesim/stats</c> (the current resourceVersion, open watches, and lists started per resource).
/// </summary>
internal sealed partial class ApiServer
{
    private async Task HandleAdminAsync(HttpContext context, UserInfo user, string[] segments)
    {
        if (!user.IsAdmin)
        {
            throw new ApiException(403, "Forbidden", $"User \"{user.Username}\" cannot use the KubeSim fault endpoints");
        }

        var query = context.Request.Query;
        var method = context.Request.Method;
        JsonObject result;
        switch (segments)
        {
            case ["kubesim", "stats"] when method == "GET":
                result = new JsonObject
                {
                    ["resourceVersion"] = store.ResourceVersion.ToString(CultureInfo.InvariantCulture),
                    ["watches"] = store.WatchCount,
                    ["lists"] = new JsonObject([.. lists.OrderBy(pair => pair.Key, StringComparer.Ordinal)
                        .Select(pair => KeyValuePair.Create(pair.Key, (JsonNode?)pair.Value))]),
                };
                break;
            case ["kubesim", "faults", var fault] when method == "POST":
                result = fault switch
                {
                    "close-watches" => new JsonObject { ["closed"] = faults.CloseWatches() },
                    "compact" => new JsonObject { ["resourceVersion"] = faults.Compact().ToString(CultureInfo.InvariantCulture) },
                    "latency" => SetLatency(ParseInt(query["milliseconds"], "milliseconds") ?? 0),
                    "fail" => Fail(ParseInt(query["count"], "count") ?? 1, ParseInt(query["code"], "code") ?? 500,
                        ParseInt(query["retryAfter"], "retryAfter") ?? 1),
                    "stall-watches" => Stall(query["stalled"].ToString() != "false"),
                    "clear" => Clear(),
                    _ => throw NotFoundPath(),
                };
                break;
            default:
                throw NotFoundPath();
        }

        await ApiResponses.WriteJsonAsync(context, 200, result);
    }

    private JsonObject SetLatency(int milliseconds)
    {
        faults.Latency = TimeSpan.FromMilliseconds(milliseconds);
        return new JsonObject { ["latencyMilliseconds"] = milliseconds };
    }

    private JsonObject Fail(int count, int code, int retryAfter)
    {
        try
        {
            faults.FailNext(count, code, retryAfter);
        }
        catch (ArgumentOutOfRangeException error)
        {
            throw ApiException.BadRequest(error.Message);
        }

        return new JsonObject { ["count"] = count, ["code"] = code };
    }

    private JsonObject Stall(bool stalled)
    {
        faults.StallWatches(stalled);
        return new JsonObject { ["stalled"] = stalled };
    }

    private JsonObject Clear()
    {
        faults.Clear();
        return new JsonObject { ["cleared"] = true };
    }
}
