using System.Globalization;
using System.Text;

namespace GitOpsReverser.Git;

/// <summary>
/// Git's pkt-line framing (<c>gitprotocol-common</c>): four hex digits giving the length of the line
/// including themselves, then the payload; <c>0000</c> is a flush packet.
/// </summary>
internal static class PktLine
{
    /// <summary>The largest payload git sends in one pkt-line.</summary>
    public const int MaximumPayload = 65516;

    /// <summary>Writes one pkt-line carrying <paramref name="text"/>.</summary>
    public static void Write(Stream stream, string text)
    {
        var payload = Encoding.UTF8.GetBytes(text);
        stream.Write(Encoding.ASCII.GetBytes((payload.Length + 4).ToString("x4", CultureInfo.InvariantCulture)));
        stream.Write(payload);
    }

    public static void WriteFlush(Stream stream) => stream.Write("0000"u8);

    /// <summary>The next payload; null for a flush packet or at the end of the stream.</summary>
    public static byte[]? Read(Stream stream)
    {
        Span<byte> header = stackalloc byte[4];
        if (!Fill(stream, header))
        {
            return null;
        }

        if (!int.TryParse(Encoding.ASCII.GetString(header), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var length)
            || length is 1 or 2 or 3)
        {
            throw new InvalidDataException($"the remote sent a malformed pkt-line header '{Encoding.ASCII.GetString(header)}'");
        }

        if (length == 0)
        {
            return null;
        }

        var payload = new byte[length - 4];
        return Fill(stream, payload) ? payload : throw new EndOfStreamException("the remote closed the connection inside a pkt-line");
    }

    /// <summary>The payload as text without its trailing newline.</summary>
    public static string Text(byte[] payload) => Encoding.UTF8.GetString(payload).TrimEnd('\n');

    // False when the stream ends before the first byte.
    private static bool Fill(Stream stream, Span<byte> buffer)
    {
        var read = 0;
        while (read < buffer.Length)
        {
            var count = stream.Read(buffer[read..]);
            if (count == 0)
            {
                return read == 0 ? false : throw new EndOfStreamException("the remote closed the connection inside a pkt-line");
            }

            read += count;
        }

        return true;
    }
}
