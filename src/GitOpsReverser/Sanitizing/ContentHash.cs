using System.IO.Hashing;

namespace GitOpsReverser.Sanitizing;

/// <summary>
/// The 64-bit hash of an object's sanitized YAML: what the capture's cache keeps to tell a change from a
/// resend, and what attribution compares to match a webhook's record with the change it saw.
/// </summary>
internal static class ContentHash
{
    public static ulong Of(ReadOnlySpan<byte> sanitizedYaml) => XxHash64.HashToUInt64(sanitizedYaml);
}
