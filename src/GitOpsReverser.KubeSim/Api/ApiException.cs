using System.Text.Json.Nodes;

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

    /// <summary>422 Invalid with one cause per field error, as the API server's validation reports it.</summary>
    public static ApiException Invalid(ResourceType type, string name, IReadOnlyList<(string Field, string Type, string Message)> causes)
    {
        var details = Status.Details(type, name);
        var causeArray = new JsonArray();
        foreach (var (field, causeType, message) in causes)
        {
            causeArray.Add(new JsonObject { ["reason"] = causeType, ["message"] = message, ["field"] = field });
        }

        details["causes"] = causeArray;
        var summary = string.Join(", ", causes.Select(cause => $"{cause.Field}: {cause.Message}"));
        var text = causes.Count == 1 ? summary : $"[{summary}]";
        return new ApiException(422, "Invalid", $"{type.Kind} \"{name}\" is invalid: {text}", details);
    }
}
