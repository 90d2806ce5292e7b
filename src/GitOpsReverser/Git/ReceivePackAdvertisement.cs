using LibGit2Sharp;

namespace GitOpsReverser.Git;

/// <summary>
/// What <c>git-receive-pack</c> announces before a push (<c>gitprotocol-pack</c>, "Reference
/// Discovery"): every ref with the commit it points at, and the server's capabilities on the first line.
/// </summary>
internal sealed record ReceivePackAdvertisement(IReadOnlyDictionary<string, ObjectId> Refs, IReadOnlySet<string> Capabilities)
{
    /// <summary>Reads the advertisement; smart HTTP's <c># service=</c> preamble is skipped.</summary>
    public static ReceivePackAdvertisement Read(Stream stream)
    {
        var refs = new Dictionary<string, ObjectId>(StringComparer.Ordinal);
        var capabilities = new HashSet<string>(StringComparer.Ordinal);
        var first = true;
        while (PktLine.Read(stream) is { } payload)
        {
            var line = PktLine.Text(payload);
            if (first && line.StartsWith("# service=", StringComparison.Ordinal))
            {
                // The preamble ends with its own flush packet.
                while (PktLine.Read(stream) is not null)
                {
                }

                continue;
            }

            if (first && line == "version 1")
            {
                continue;
            }

            var nul = line.IndexOf('\0', StringComparison.Ordinal);
            if (nul >= 0)
            {
                capabilities.UnionWith(line[(nul + 1)..].Split(' ', StringSplitOptions.RemoveEmptyEntries));
                line = line[..nul];
            }

            first = false;
            var space = line.IndexOf(' ', StringComparison.Ordinal);
            if (space != 40 || !ObjectId.TryParse(line[..space], out var id))
            {
                throw new InvalidDataException($"the remote advertised a malformed ref line '{line}'");
            }

            var name = line[(space + 1)..];
            if (name != "capabilities^{}")
            {
                refs[name] = id;
            }
        }

        return first
            ? throw new InvalidDataException("the remote sent no ref advertisement; is this a git repository served by git-receive-pack?")
            : new ReceivePackAdvertisement(refs, capabilities);
    }
}
