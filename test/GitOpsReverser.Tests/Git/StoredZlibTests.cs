using System.Buffers;
using System.IO.Compression;
using GitOpsReverser.Git;

namespace GitOpsReverser.Tests.Git;

public sealed class StoredZlibTests
{
    [TestCase(0, 0)]
    [TestCase(3, 0)]
    [TestCase(12, 1)]
    [TestCase(12, 65_523)]
    [TestCase(12, 65_524)]
    [TestCase(0, 200_000)]
    [TestCase(70_000, 70_000)]
    public void Frame_InflatesToTheBytes_WithTheChecksumZlibVerifies(int firstLength, int secondLength)
    {
        var random = new Random(firstLength + secondLength);
        var first = new byte[firstLength];
        var second = new byte[secondLength];
        random.NextBytes(first);
        random.NextBytes(second);

        var (buffer, length) = StoredZlib.Frame(first, second);
        var framed = buffer.AsSpan(0, length).ToArray();
        ArrayPool<byte>.Shared.Return(buffer);

        Inflate(framed).Should().Equal([.. first, .. second]);
        framed[^1] ^= 1;
        FluentActions.Invoking(() => Inflate(framed)).Should().Throw<InvalidDataException>("a wrong Adler-32 is a broken stream");
    }

    private static byte[] Inflate(byte[] framed)
    {
        using var inflate = new ZLibStream(new MemoryStream(framed), CompressionMode.Decompress);
        var output = new MemoryStream();
        inflate.CopyTo(output);
        return output.ToArray();
    }
}
