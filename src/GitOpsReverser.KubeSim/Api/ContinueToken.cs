using System.Text;
using System.Text.Json.Nodes;

namespace GitOpsReverser.KubeSim.Api;

/// <summary>
/// List continue tokens in the API server's shape: base64 of
/// <c>{"v":"meta.k8s.io/v1","rv":N,"start":"&lt;last key&gt;\u0000"}</c>. Every page of one list reads
/// the snapshot at <c>rv</c>; once history no longer reaches it, the token has expired (410).
/// </summary>
internal static class ContinueToken
{
    public static string Encode(long resourceVersion, string lastKey) =>
        Convert.ToBase64String(Encoding.UTF8.GetBytes(new JsonObject
        {
            ["v"] = "meta.k8s.io/v1",
            ["rv"] = resourceVersion,
            ["start"] = lastKey + "\u0000",
        }.ToJsonString())).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    public static (long ResourceVersion, string AfterKey) Decode(string token)
    {
        try
        {
            var base64 = token.Replace('-', '+').Replace('_', '/');
            base64 = base64.PadRight(base64.Length + ((4 - (base64.Length % 4)) % 4), '=');
            var node = JsonNode.Parse(Convert.FromBase64String(base64))!.AsObject();
            if ((string?)node["v"] != "meta.k8s.io/v1")
            {
                throw new FormatException();
            }

            return ((long)node["rv"]!, ((string)node["start"]!).TrimEnd('\u0000'));
        }
        catch (Exception exception) when (exception is FormatException or InvalidOperationException or System.Text.Json.JsonException or NullReferenceException)
        {
            throw ApiException.BadRequest("continue key is not valid: incorrect encoded start resourceVersion (version meta.k8s.io/v1)");
        }
    }
}
