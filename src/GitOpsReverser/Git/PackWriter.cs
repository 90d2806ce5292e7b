using System.Buffers.Binary;
using System.IO.Compression;
using System.Security.Cryptography;

namespace GitOpsReverser.Git;

/// <summary>
/// Git's pack format (<c>gitformat-pack</c>): entry headers, zlib streams, the pack header, and the
/// version-2 index written beside a pack (<see cref="CommitPack"/> builds the entries).
/// </summary>
internal static class PackWriter
{
    // A zlib header, one empty final block with fixed codes, and the Adler-32 of nothing.
    private static readonly byte[] EmptyZlibStream = [0x78, 0x01, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01];

    private static readonly byte[] IndexMagic = [0xFF, (byte)'t', (byte)'O', (byte)'c', 0, 0, 0, 2];

    /// <summary>
    /// Saves <paramref name="pack"/> (a whole pack, see <see cref="CommitPack.ToArray"/>) and its index
    /// into the <c>objects/pack</c> folder of <paramref name="objectsFolder"/>; returns the pack's path.
    /// </summary>
    public static string Save(string objectsFolder, byte[] pack, IReadOnlyList<(byte[] Id, long Offset, uint Crc)> entries)
    {
        var packs = Path.Combine(objectsFolder, "pack");
        Directory.CreateDirectory(packs);
        var checksum = pack[^20..];
        var name = Path.Combine(packs, "pack-" + Convert.ToHexStringLower(checksum));
        var tempPack = Path.Combine(packs, $"tmp_pack_{Guid.NewGuid():N}");
        File.WriteAllBytes(tempPack, pack);
        File.Move(tempPack, name + ".pack", overwrite: true);

        // The index last, under a temporary name: readers look for packs through their index.
        var tempIndex = Path.Combine(packs, $"tmp_idx_{Guid.NewGuid():N}");
        File.WriteAllBytes(tempIndex, Index([.. entries], checksum));
        File.Move(tempIndex, name + ".idx", overwrite: true);
        return name + ".pack";
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
