using System.Buffers.Binary;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using LibGit2Sharp;

namespace GitOpsReverser.Git;

/// <summary>
/// Git's id of a blob (its SHA-1), as a value the stages above Git compare without LibGit2Sharp: what a tree holds
/// for a path, against <see cref="Of"/> of the content about to be written.
/// </summary>
internal readonly record struct BlobId(ulong High, ulong Middle, uint Low)
{
    /// <summary>The id Git gives a blob holding <paramref name="content"/>, computed without a repository.</summary>
    public static BlobId Of(byte[] content)
    {
        var header = Encoding.ASCII.GetBytes($"blob {content.Length.ToString(CultureInfo.InvariantCulture)}\0");
        using var sha1 = IncrementalHash.CreateHash(HashAlgorithmName.SHA1);
        sha1.AppendData(header);
        sha1.AppendData(content);
        return From(sha1.GetHashAndReset());
    }

    public static BlobId From(ObjectId id) => From(id.RawId);

    public override string ToString() => $"{High:x16}{Middle:x16}{Low:x8}";

    private static BlobId From(ReadOnlySpan<byte> sha1) => new(
        BinaryPrimitives.ReadUInt64BigEndian(sha1), BinaryPrimitives.ReadUInt64BigEndian(sha1[8..]), BinaryPrimitives.ReadUInt32BigEndian(sha1[16..]));
}
