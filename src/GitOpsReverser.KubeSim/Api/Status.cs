using System.Text.Json.Nodes;

namespace GitOpsReverser.KubeSim.Api;

/// <summary>Builds <c>meta.k8s.io/v1 Status</c> objects.</summary>
internal static class Status
{
    public static JsonObject Failure(int code, string reason, string message, JsonObject? details) => new()
    {
        ["kind"] = "Status",
        ["apiVersion"] = "v1",
        ["metadata"] = new JsonObject(),
        ["status"] = "Failure",
        ["message"] = message,
        ["reason"] = reason,
        ["details"] = details,
        ["code"] = code,
    };

    public static JsonObject Success(ResourceType type, string name, string? uid)
    {
        var details = Details(type, name);
        if (uid is not null)
        {
            details["uid"] = uid;
        }

        return new JsonObject
        {
            ["kind"] = "Status",
            ["apiVersion"] = "v1",
            ["metadata"] = new JsonObject(),
            ["status"] = "Success",
            ["details"] = details,
        };
    }

    public static JsonObject Details(ResourceType type, string name)
    {
        var details = new JsonObject { ["name"] = name };
        if (type.Group.Length > 0)
        {
            details["group"] = type.Group;
        }

        details["kind"] = type.Plural;
        return details;
    }
}
