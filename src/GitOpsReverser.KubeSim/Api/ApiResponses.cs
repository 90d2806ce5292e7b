using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using GitOpsReverser.KubeSim.Storage;

namespace GitOpsReverser.KubeSim.Api;

/// <summary>Writes JSON responses: objects in the requested version, lists with continue tokens, Status errors.</summary>
internal static class ApiResponses
{
    public const string Json = "application/json";

    public static async Task WriteJsonAsync(HttpContext context, int statusCode, JsonNode node, string contentType = Json)
    {
        context.Response.StatusCode = statusCode;
        context.Response.ContentType = contentType;
        await context.Response.Body.WriteAsync(JsonSerializer.SerializeToUtf8Bytes(node, KubeJson.Options), context.RequestAborted);
    }

    public static Task WriteErrorAsync(HttpContext context, ApiException error)
    {
        if (error.RetryAfterSeconds is { } seconds)
        {
            context.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        }

        return WriteJsonAsync(context, error.Code, error.ToStatus());
    }

    public static async Task WriteObjectAsync(HttpContext context, int statusCode, ResourceType type, StoredObject stored)
    {
        context.Response.StatusCode = statusCode;
        context.Response.ContentType = Json;
        await context.Response.Body.WriteAsync(Render(type, stored), context.RequestAborted);
    }

    /// <summary>The object as served by <paramref name="type"/>'s version (custom resources are converted by apiVersion only).</summary>
    public static ReadOnlyMemory<byte> Render(ResourceType type, StoredObject stored)
    {
        if (!type.IsCustom || ApiVersionIs(stored, type.GroupVersion))
        {
            return stored.Json;
        }

        var obj = stored.ToJsonObject();
        obj["apiVersion"] = type.GroupVersion;
        return JsonSerializer.SerializeToUtf8Bytes(obj, KubeJson.Options);
    }

    /// <summary>A list's metadata as JSON (for a Table of the page).</summary>
    public static JsonObject ListMetadata(ListPage page)
    {
        var metadata = new JsonObject { ["resourceVersion"] = page.ResourceVersion.ToString(CultureInfo.InvariantCulture) };
        if (page.LastKey is not null)
        {
            metadata["continue"] = ContinueToken.Encode(page.ResourceVersion, page.LastKey);
        }

        if (page.Remaining is { } remaining)
        {
            metadata["remainingItemCount"] = remaining;
        }

        return metadata;
    }

    public static async Task WriteListAsync(HttpContext context, ResourceType type, ListPage page)
    {
        context.Response.StatusCode = 200;
        context.Response.ContentType = Json;
        var buffer = new ArrayBufferWriter<byte>(Math.Max(256, page.Items.Sum(item => item.Json.Length) + 256));
        using (var writer = new Utf8JsonWriter(buffer, KubeJson.WriterOptions))
        {
            writer.WriteStartObject();
            writer.WriteString("kind", type.ListKind);
            writer.WriteString("apiVersion", type.GroupVersion);
            writer.WriteStartObject("metadata");
            writer.WriteString("resourceVersion", page.ResourceVersion.ToString(CultureInfo.InvariantCulture));
            if (page.LastKey is not null)
            {
                writer.WriteString("continue", ContinueToken.Encode(page.ResourceVersion, page.LastKey));
            }

            if (page.Remaining is { } remaining)
            {
                writer.WriteNumber("remainingItemCount", remaining);
            }

            writer.WriteEndObject();
            writer.WriteStartArray("items");
            foreach (var item in page.Items)
            {
                if (type.IsCustom)
                {
                    // Unstructured lists keep each item's kind and apiVersion.
                    writer.WriteRawValue(Render(type, item).Span, skipInputValidation: true);
                }
                else
                {
                    // Typed lists of built-in kinds carry items without kind and apiVersion.
                    var fields = item.FieldsAfterTypeMeta();
                    var bytes = new byte[fields.Length + 1];
                    bytes[0] = (byte)'{';
                    fields.CopyTo(bytes.AsSpan(1));
                    writer.WriteRawValue(bytes, skipInputValidation: true);
                }
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        await context.Response.Body.WriteAsync(buffer.WrittenMemory, context.RequestAborted);
    }

    private static bool ApiVersionIs(StoredObject stored, string apiVersion)
    {
        var prefix = Encoding.UTF8.GetBytes($"\"apiVersion\":\"{apiVersion}\"");
        return stored.Json.AsSpan(0, Math.Min(stored.Json.Length, stored.BodyOffset + 1)).IndexOf(prefix) >= 0;
    }
}
