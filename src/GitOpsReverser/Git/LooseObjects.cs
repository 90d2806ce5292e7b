using System.Security.Cryptography;
using System.Text;
using LibGit2Sharp;

namespace GitOpsReverser.Git;

/// <summary>
/// Writes git objects as loose files straight into a repository's <c>objects/</c> folder, stored without
/// compression (a valid zlib stream of stored blocks, which every git reads; see <see cref="StoredZlib"/>).
/// A tree of 100,000 entries is 4.5 MB, mostly object ids that do not compress; deflating it would cost
/// more than everything else in a commit. Blobs are stored the same way until the next packing
/// compresses them.
/// </summary>
internal static class LooseObjects
{
    public static ObjectId Write(string objectsDirectory, string type, ReadOnlySpan<byte> content)
    {
        var header = Encoding.ASCII.GetBytes($"{type} {content.Length}\0");
        using var sha1 = IncrementalHash.CreateHash(HashAlgorithmName.SHA1);
        sha1.AppendData(header);
        sha1.AppendData(content);
        var hash = Convert.ToHexStringLower(sha1.GetHashAndReset());
        var path = Path.Combine(objectsDirectory, hash[..2], hash[2..]);
        var temp = Path.Combine(objectsDirectory, $"tmp_obj_{Guid.NewGuid():N}");
        var (buffer, length) = StoredZlib.Frame(header, content);
        try
        {
            using var file = File.OpenHandle(temp, FileMode.CreateNew, FileAccess.Write);
            RandomAccess.Write(file, buffer.AsSpan(0, length), 0);
        }
        finally
        {
            System.Buffers.ArrayPool<byte>.Shared.Return(buffer);
        }

        // An object already there has the same bytes, so it is replaced rather than looked up first: the
        // lookup cost two system calls per new object, and nearly every object written is new.
        try
        {
            File.Move(temp, path, overwrite: true);
        }
        catch (DirectoryNotFoundException)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.Move(temp, path, overwrite: true);
        }

        return new ObjectId(hash);
    }

    /// <summary>A commit object's bytes, in the format git writes (no signature, no encoding header).</summary>
    public static byte[] CommitBytes(ObjectId tree, IEnumerable<ObjectId> parents, Signature author, Signature committer, string message)
    {
        var text = new StringBuilder();
        text.Append("tree ").Append(tree.Sha).Append('\n');
        foreach (var parent in parents)
        {
            text.Append("parent ").Append(parent.Sha).Append('\n');
        }

        text.Append("author ").Append(Format(author)).Append('\n');
        text.Append("committer ").Append(Format(committer)).Append("\n\n");
        text.Append(message);
        return Encoding.UTF8.GetBytes(text.ToString());
    }

    private static string Format(Signature signature)
    {
        static string Clean(string value) => new([.. value.Where(c => c is not ('<' or '>' or '\n' or '\0'))]);
        var when = signature.When;
        var offset = when.Offset;
        var sign = offset < TimeSpan.Zero ? '-' : '+';
        var absolute = offset.Duration();
        return $"{Clean(signature.Name).Trim()} <{Clean(signature.Email).Trim()}> {when.ToUnixTimeSeconds()} {sign}{absolute.Hours:D2}{absolute.Minutes:D2}";
    }
}
