using System.Text.Encodings.Web;
using System.Text.Json;

namespace GitOpsReverser.KubeSim.Storage;

/// <summary>JSON settings shared by everything KubeSim writes: compact, as Go's encoder writes it.</summary>
internal static class KubeJson
{
    public static JsonSerializerOptions Options { get; } = new()
    {
        WriteIndented = false,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static JsonWriterOptions WriterOptions { get; } = new()
    {
        Indented = false,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };
}
