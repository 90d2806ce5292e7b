namespace GitOpsReverser.Git;

/// <summary>
/// A git delta (<c>gitformat-pack</c>, "Deltified representation") of an object against an earlier
/// version of it: copy the common beginning, insert what differs, copy the common end. A commit
/// changes a folder's tree by one entry and a file by a few lines, so this finds nearly all of what
/// git's delta search would, in one pass and with no index.
/// </summary>
internal static class GitDelta
{
    private const int MaximumInsert = 127;
    private const int MaximumCopy = 0xFFFFFF;

    /// <summary>The delta turning <paramref name="source"/> into <paramref name="target"/>, or null when it would not be under half the target's size.</summary>
    public static byte[]? Create(ReadOnlySpan<byte> source, ReadOnlySpan<byte> target)
    {
        var prefix = source.CommonPrefixLength(target);
        var most = Math.Min(source.Length, target.Length) - prefix;
        var suffix = 0;
        while (suffix < most && source[^(suffix + 1)] == target[^(suffix + 1)])
        {
            suffix++;
        }

        var inserted = target.Length - prefix - suffix;
        if (inserted >= target.Length / 2)
        {
            return null;
        }

        var delta = new MemoryStream(32 + inserted + (inserted / MaximumInsert));
        WriteSize(delta, source.Length);
        WriteSize(delta, target.Length);
        Copy(delta, 0, prefix);
        for (var at = prefix; at < prefix + inserted; at += MaximumInsert)
        {
            var length = Math.Min(MaximumInsert, prefix + inserted - at);
            delta.WriteByte((byte)length);
            delta.Write(target.Slice(at, length));
        }

        Copy(delta, source.Length - suffix, suffix);
        return delta.ToArray();
    }

    /// <summary>Applies <paramref name="delta"/> to <paramref name="source"/> (to check deltas in tests).</summary>
    public static byte[] Apply(ReadOnlySpan<byte> source, ReadOnlySpan<byte> delta)
    {
        var at = 0;
        if (ReadSize(delta, ref at) != source.Length)
        {
            throw new InvalidDataException("the delta is for a source of another size");
        }

        var target = new MemoryStream((int)ReadSize(delta, ref at));
        while (at < delta.Length)
        {
            var command = delta[at++];
            if ((command & 0x80) == 0)
            {
                target.Write(delta.Slice(at, command));
                at += command;
                continue;
            }

            long offset = 0, size = 0;
            for (var i = 0; i < 4; i++)
            {
                offset |= (command & (1 << i)) != 0 ? (long)delta[at++] << (8 * i) : 0;
            }

            for (var i = 0; i < 3; i++)
            {
                size |= (command & (0x10 << i)) != 0 ? (long)delta[at++] << (8 * i) : 0;
            }

            target.Write(source.Slice((int)offset, size == 0 ? 0x10000 : (int)size));
        }

        return target.ToArray();
    }

    // Copy instructions: 0x80, then the offset's and the size's non-zero bytes, each flagged by a bit.
    private static void Copy(MemoryStream delta, int offset, int length)
    {
        Span<byte> instruction = stackalloc byte[8];
        for (var start = offset; start < offset + length; start += MaximumCopy)
        {
            var size = Math.Min(MaximumCopy, offset + length - start);
            var count = 1;
            var command = 0x80;
            for (var i = 0; i < 4; i++)
            {
                if (((start >> (8 * i)) & 0xFF) is var part and not 0)
                {
                    command |= 1 << i;
                    instruction[count++] = (byte)part;
                }
            }

            for (var i = 0; i < 3; i++)
            {
                if (((size >> (8 * i)) & 0xFF) is var part and not 0)
                {
                    command |= 0x10 << i;
                    instruction[count++] = (byte)part;
                }
            }

            instruction[0] = (byte)command;
            delta.Write(instruction[..count]);
        }
    }

    // Sizes: 7 bits per byte, low bits first, the high bit set on all but the last byte.
    private static void WriteSize(MemoryStream delta, long size)
    {
        do
        {
            var part = (byte)(size & 0x7F);
            size >>= 7;
            delta.WriteByte(size > 0 ? (byte)(part | 0x80) : part);
        }
        while (size > 0);
    }

    private static long ReadSize(ReadOnlySpan<byte> delta, ref int at)
    {
        long size = 0;
        var shift = 0;
        byte part;
        do
        {
            part = delta[at++];
            size |= (long)(part & 0x7F) << shift;
            shift += 7;
        }
        while ((part & 0x80) != 0);
        return size;
    }
}
