using LibGit2Sharp;

namespace GitOpsReverser.Git;

/// <summary>A blob's content as bytes, as it is stored (no filters).</summary>
internal static class BlobBytes
{
    public static byte[] Of(Blob blob)
    {
        using var stream = blob.GetContentStream();
        using var buffer = new MemoryStream();
        stream.CopyTo(buffer);
        return buffer.ToArray();
    }
}
