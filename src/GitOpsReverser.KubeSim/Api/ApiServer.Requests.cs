using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using GitOpsReverser.KubeSim.Security;

namespace GitOpsReverser.KubeSim.Api;

/// <summary>Reading a request: its write context and warnings, its body (JSON, YAML or protobuf DeleteOptions), its names and numbers.</summary>
internal sealed partial class ApiServer
{
    private static WriteContext WriteContextOf(HttpContext context, UserInfo user)
    {
        var query = context.Request.Query;
        var manager = query["fieldManager"].ToString();
        var fromUserAgent = manager.Length == 0;
        if (fromUserAgent)
        {
            var userAgent = context.Request.Headers.UserAgent.ToString();
            manager = userAgent.Length == 0 ? "unknown" : userAgent.Split('/')[0];
        }

        var validation = query["fieldValidation"].ToString();
        if (validation.Length > 0 && validation is not ("Strict" or "Warn" or "Ignore"))
        {
            throw ApiException.BadRequest($"fieldValidation must be one of Strict, Warn or Ignore, not {validation}");
        }

        return new WriteContext(user, manager, validation.Length == 0 ? "Warn" : validation,
            query["dryRun"].ToString() == "All", query["force"].ToString() == "true")
        {
            ManagerFromUserAgent = fromUserAgent,
        };
    }

    private static void AddWarnings(HttpContext context, WriteContext writeContext)
    {
        foreach (var warning in writeContext.Warnings)
        {
            context.Response.Headers.Append("Warning", $"299 - \"{warning.Replace("\"", "\\\"", StringComparison.Ordinal)}\"");
        }
    }

    private static async Task<JsonObject> ReadObjectAsync(HttpContext context)
    {
        var contentType = (context.Request.ContentType ?? "application/json").Split(';')[0].Trim();
        if (contentType == ProtobufBody.ContentType)
        {
            using var buffer = new MemoryStream();
            await context.Request.Body.CopyToAsync(buffer, context.RequestAborted);
            return ProtobufBody.Decode(buffer.ToArray());
        }

        using var reader = new StreamReader(context.Request.Body);
        var text = await reader.ReadToEndAsync(context.RequestAborted);
        var node = contentType switch
        {
            "application/json" or "" => ParseJson(text),
            "application/yaml" => YamlBody.Parse(text),
            _ => throw ApiException.UnsupportedMediaType(contentType, ["application/json", "application/yaml"]),
        };
        return node as JsonObject ?? throw ApiException.BadRequest("the body of the request must be a JSON object");
    }

    // A DELETE's optional DeleteOptions body, in JSON or (typed clients such as Helm's) protobuf.
    private static async Task<JsonObject?> ReadOptionalObjectAsync(HttpContext context)
    {
        using var buffer = new MemoryStream();
        await context.Request.Body.CopyToAsync(buffer, context.RequestAborted);
        if (buffer.Length == 0)
        {
            return null;
        }

        var contentType = (context.Request.ContentType ?? "").Split(';')[0].Trim();
        if (contentType == ProtobufBody.ContentType)
        {
            return ProtobufBody.Decode(buffer.ToArray());
        }

        var text = System.Text.Encoding.UTF8.GetString(buffer.ToArray());
        return string.IsNullOrWhiteSpace(text) ? null : ParseJson(text) as JsonObject;
    }

    private static JsonNode? ParseJson(string text)
    {
        try
        {
            return JsonNode.Parse(text, documentOptions: new JsonDocumentOptions { AllowDuplicateProperties = false });
        }
        catch (JsonException error)
        {
            throw ApiException.BadRequest($"the body of the request could not be decoded: {error.Message}");
        }
    }

    private static JsonNode? ParseJsonOrYaml(string text)
    {
        var trimmed = text.TrimStart();
        return trimmed.StartsWith('{') ? ParseJson(text) : YamlBody.Parse(text);
    }

    private static string RequireName(RequestTarget target) =>
        target.Name ?? throw ApiException.MethodNotAllowed("the server does not allow this method on the requested resource");

    private static int? ParseInt(string? text, string name) =>
        string.IsNullOrEmpty(text) ? null
        : int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) ? value
        : throw ApiException.BadRequest($"invalid {name}: {text}");

    private static long ParseLong(string text, string name) =>
        long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value >= 0
            ? value
            : throw ApiException.BadRequest($"invalid {name}: {text}");
}
