using System.Text.Json.Nodes;
using GitOpsReverser.KubeSim.Validation;

namespace GitOpsReverser.KubeSim.Api;

/// <summary>
/// A failed API request, answered as a <c>Status</c> object with the reason and code a real
/// API server uses for the same failure.
/// </summary>
internal sealed class ApiException(int code, string reason, string message, JsonObject? details = null)
    : Exception(message)
{
    public int Code { get; } = code;

    public string Reason { get; } = reason;

    public JsonObject? Details { get; } = details;

    /// <summary>Seconds a client should wait before retrying (429 and some 5xx), or null.</summary>
    public int? RetryAfterSeconds { get; init; }

    public JsonObject ToStatus() => Status.Failure(Code, Reason, Message, Details?.DeepClone().AsObject());

    public static ApiException NotFound(ResourceType type, string name) =>
        new(404, "NotFound", $"{type.QualifiedResource} \"{name}\" not found", Status.Details(type, name));

    public static ApiException AlreadyExists(ResourceType type, string name) =>
        new(409, "AlreadyExists", $"{type.QualifiedResource} \"{name}\" already exists", Status.Details(type, name));

    public static ApiException Conflict(ResourceType type, string name) =>
        new(409, "Conflict",
            $"Operation cannot be fulfilled on {type.QualifiedResource} \"{name}\": the object has been modified; " +
            "please apply your changes to the latest version and try again",
            Status.Details(type, name));

    public static ApiException BadRequest(string message) => new(400, "BadRequest", message);

    public static ApiException Gone(string message) => new(410, "Expired", message);

    public static ApiException MethodNotAllowed(string message) => new(405, "MethodNotAllowed", message);

    public static ApiException UnsupportedMediaType(string contentType, IEnumerable<string> accepted) =>
        new(415, "UnsupportedMediaType",
            $"the body of the request was in an unknown format - accepted media types include: {string.Join(", ", accepted)}",
            new JsonObject { ["causes"] = new JsonArray(new JsonObject { ["reason"] = "UnsupportedMediaType", ["message"] = contentType }) });

    /// <summary>
    /// 422 Invalid with one cause per field error, as apimachinery's NewInvalid builds it: details name the Kind
    /// (not the resource) with its group, and the message reads <c>WatchRule.configbutler.ai "x" is invalid: …</c>,
    /// repeated errors once.
    /// </summary>
    public static ApiException Invalid(ResourceType type, string name, IReadOnlyList<FieldError> causes) => Invalid(type.Group, type.Kind, name, causes);

    /// <summary>422 Invalid for an object of <paramref name="kind"/> in <paramref name="group"/> (one that is no stored resource: a Scale).</summary>
    public static ApiException Invalid(string group, string kind, string name, IReadOnlyList<FieldError> causes)
    {
        var details = new JsonObject { ["name"] = name };
        if (group.Length > 0)
        {
            details["group"] = group;
        }

        details["kind"] = kind;
        details["causes"] = new JsonArray([.. causes.Select(cause =>
            (JsonNode)new JsonObject { ["reason"] = cause.Reason, ["message"] = cause.Message, ["field"] = cause.Field })]);
        var distinct = causes.Select(cause => cause.ToString()).Distinct(StringComparer.Ordinal).ToList();
        var text = distinct.Count == 1 ? distinct[0] : $"[{string.Join(", ", distinct)}]";
        var groupKind = group.Length > 0 ? $"{kind}.{group}" : kind;
        return new ApiException(422, "Invalid", $"{groupKind} \"{name}\" is invalid: {text}", details);
    }
}
