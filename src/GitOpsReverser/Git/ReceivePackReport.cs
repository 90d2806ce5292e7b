using System.Text;

namespace GitOpsReverser.Git;

/// <summary>
/// The server's answer to a push (<c>gitprotocol-pack</c>, "Report Status"): whether the pack was
/// unpacked, each ref's <c>ok</c> or <c>ng</c> with a reason, and the messages its hooks printed
/// (side band 2) when the side band was asked for.
/// </summary>
internal sealed record ReceivePackReport(string Unpack, IReadOnlyDictionary<string, string?> Refs, string Messages)
{
    /// <summary>Reads the report; with <paramref name="sideBand"/> it comes inside side band 1.</summary>
    public static ReceivePackReport Read(Stream stream, bool sideBand)
    {
        var messages = new StringBuilder();
        var report = stream;
        if (sideBand)
        {
            var data = new MemoryStream();
            while (PktLine.Read(stream) is { } payload)
            {
                switch (payload.Length == 0 ? 0 : payload[0])
                {
                    case 1:
                        data.Write(payload.AsSpan(1));
                        break;
                    case 2:
                        messages.Append(Encoding.UTF8.GetString(payload.AsSpan(1)));
                        break;
                    case 3:
                        throw new InvalidOperationException($"the remote failed: {Encoding.UTF8.GetString(payload.AsSpan(1)).Trim()}");
                }
            }

            data.Position = 0;
            report = data;
        }

        string? unpack = null;
        var refs = new Dictionary<string, string?>(StringComparer.Ordinal);
        while (PktLine.Read(report) is { } payload)
        {
            var line = PktLine.Text(payload);
            if (line.StartsWith("unpack ", StringComparison.Ordinal))
            {
                unpack = line["unpack ".Length..];
            }
            else if (line.StartsWith("ok ", StringComparison.Ordinal))
            {
                refs[line[3..]] = null;
            }
            else if (line.StartsWith("ng ", StringComparison.Ordinal))
            {
                var reason = line[3..].Split(' ', 2);
                refs[reason[0]] = reason.Length > 1 ? reason[1] : "rejected";
            }
        }

        return unpack is null
            ? throw new InvalidDataException($"the remote sent no push report{(messages.Length > 0 ? ": " + messages.ToString().Trim() : "")}")
            : new ReceivePackReport(unpack, refs, messages.ToString().Trim());
    }
}
