using System.Buffers.Binary;
using System.IO.Compression;
using System.IO.Hashing;
using System.Security.Cryptography;
using System.Text;
using LibGit2Sharp;

namespace GitOpsReverser.Git;

/// <summary>
/// Writes loose objects into one pack and its version-2 index, the formats git documents in
/// <c>gitformat-pack</c>, without deltas and at zlib's fastest level. libgit2's pack builder re-read,
/// re-hashed and re-indexed every object and searched deltas that rarely exist here (it names no
/// tree, so folders were tried against other folders): about 1.1 ms per commit at 10,000 objects.
/// The ids come from the loose files' names, so nothing is hashed but the pack and the index.
/// </summary>
internal static class PackWriter
{
    // A zlib header, one empty final block with fixed codes, and the Adler-32 of nothing.
    private static readonly byte[] EmptyZlibStream = [0x78, 0x01, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01];

    private static readonly byte[] IndexMagic = [0xFF, (byte)'t', (byte)'O', (byte)'c', 0, 0, 0, 2];

    /// <summary>Packs the loose objects <paramref name="ids"/> of <paramref name="objectsFolder"/>; returns the pack's path.</summary>
    public static string WriteLoose(string objectsFolder, IReadOnlyCollection<ObjectId> ids)
    {
        var packs = Path.Combine(objectsFolder, "pack");
        Directory.CreateDirectory(packs);
        var tempPack = Path.Combine(packs, $"tmp_pack_{Guid.NewGuid():N}");
        var entries = new List<(byte[] Id, long Offset, uint Crc)>(ids.Count);
        byte[] checksum;
        using (var file = new FileStream(tempPack, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16))
        using (var sha1 = IncrementalHash.CreateHash(HashAlgorithmName.SHA1))
        {
            var header = Header(ids.Count);
            file.Write(header);
            sha1.AppendData(header);
            long offset = header.Length;
            var entry = new MemoryStream();
            foreach (var id in ids)
            {
                var (type, content) = ReadLoose(objectsFolder, id);
                entry.SetLength(0);
                WriteEntryHeader(entry, type, content.Length);
                WriteDeflated(entry, content.Span);

                var bytes = entry.GetBuffer().AsSpan(0, (int)entry.Length);
                file.Write(bytes);
                sha1.AppendData(bytes);
                entries.Add((id.RawId, offset, Crc32.HashToUInt32(bytes)));
                offset += bytes.Length;
            }

            checksum = sha1.GetHashAndReset();
            file.Write(checksum);
        }

        var name = Path.Combine(packs, "pack-" + Convert.ToHexStringLower(checksum));
        File.Move(tempPack, name + ".pack", overwrite: true);

        // The index last, under a temporary name: readers look for packs through their index.
        var tempIndex = Path.Combine(packs, $"tmp_idx_{Guid.NewGuid():N}");
        File.WriteAllBytes(tempIndex, Index(entries, checksum));
        File.Move(tempIndex, name + ".idx", overwrite: true);
        return name + ".pack";
    }

    private static (int Type, ReadOnlyMemory<byte> Content) ReadLoose(string objectsFolder, ObjectId id)
    {
        using var file = File.OpenRead(Path.Combine(objectsFolder, id.Sha[..2], id.Sha[2..]));
        using var inflate = new ZLibStream(file, CompressionMode.Decompress);
        var raw = new MemoryStream();
        inflate.CopyTo(raw);
        var bytes = raw.GetBuffer().AsMemory(0, (int)raw.Length);
        var space = bytes.Span.IndexOf((byte)' ');
        var end = bytes.Span.IndexOf((byte)0);
        var type = Encoding.ASCII.GetString(bytes.Span[..space]) switch
        {
            "commit" => 1,
            "tree" => 2,
            "blob" => 3,
            "tag" => 4,
            var other => throw new InvalidDataException($"loose object {id} has the unknown type '{other}'"),
        };
        return (type, bytes[(end + 1)..]);
    }

    /// <summary>An entry's type and size: 4 bits in the first byte and 7 in each next one, low bits first.</summary>
    public static void WriteEntryHeader(Stream stream, int type, long size)
    {
        var current = (byte)((type << 4) | (int)(size & 0x0F));
        size >>= 4;
        while (size > 0)
        {
            stream.WriteByte((byte)(current | 0x80));
            current = (byte)(size & 0x7F);
            size >>= 7;
        }

        stream.WriteByte(current);
    }

    /// <summary>A zlib stream of <paramref name="content"/> at zlib's fastest level.</summary>
    public static void WriteDeflated(Stream stream, ReadOnlySpan<byte> content)
    {
        if (content.IsEmpty)
        {
            // ZLibStream writes nothing at all for no input; git needs a zlib stream.
            stream.Write(EmptyZlibStream);
            return;
        }

        using var deflate = new ZLibStream(stream, CompressionLevel.Fastest, leaveOpen: true);
        deflate.Write(content);
    }

    /// <summary>The pack's 12-byte header: signature, version 2 and the object count.</summary>
    public static byte[] Header(int count)
    {
        var header = new byte[12];
        "PACK"u8.CopyTo(header);
        BinaryPrimitives.WriteUInt32BigEndian(header.AsSpan(4), 2);
        BinaryPrimitives.WriteUInt32BigEndian(header.AsSpan(8), (uint)count);
        return header;
    }

    private static byte[] Index(List<(byte[] Id, long Offset, uint Crc)> entries, byte[] packChecksum)
    {
        entries.Sort((a, b) => a.Id.AsSpan().SequenceCompareTo(b.Id));
        var large = entries.Where(entry => entry.Offset >= 0x80000000L).ToList();
        var index = new MemoryStream();
        index.Write(IndexMagic);
        Span<byte> word = stackalloc byte[8];
        var count = 0;
        for (var first = 0; first < 256; first++)
        {
            while (count < entries.Count && entries[count].Id[0] == first)
            {
                count++;
            }

            BinaryPrimitives.WriteUInt32BigEndian(word, (uint)count);
            index.Write(word[..4]);
        }

        entries.ForEach(entry => index.Write(entry.Id));
        foreach (var entry in entries)
        {
            BinaryPrimitives.WriteUInt32BigEndian(word, entry.Crc);
            index.Write(word[..4]);
        }

        var next = 0u;
        foreach (var entry in entries)
        {
            BinaryPrimitives.WriteUInt32BigEndian(word, entry.Offset < 0x80000000L ? (uint)entry.Offset : 0x80000000u | next++);
            index.Write(word[..4]);
        }

        foreach (var entry in large)
        {
            BinaryPrimitives.WriteUInt64BigEndian(word, (ulong)entry.Offset);
            index.Write(word);
        }

        index.Write(packChecksum);
        index.Write(SHA1.HashData(index.GetBuffer().AsSpan(0, (int)index.Length)));
        return index.ToArray();
    }
}
