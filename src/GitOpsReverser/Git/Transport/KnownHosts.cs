namespace GitOpsReverser.Git.Transport;

/// <summary>
/// An OpenSSH known_hosts file: which host keys to trust for which hosts. Plain host patterns only
/// (<c>host</c>, <c>[host]:port</c>, comma-separated); hashed entries (<c>|1|…</c>) never match.
/// </summary>
internal sealed class KnownHosts
{
    private readonly List<(string[] Hosts, string KeyType, string Key)> entries = [];

    public KnownHosts(string text)
    {
        foreach (var raw in text.Split('\n'))
        {
            var line = raw.Trim();
            if (line.Length == 0 || line.StartsWith('#') || line.StartsWith('@'))
            {
                continue;
            }

            var fields = line.Split((char[])[' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
            if (fields.Length >= 3)
            {
                entries.Add((fields[0].Split(','), fields[1], fields[2]));
            }
        }
    }

    public int Count => entries.Count;

    /// <summary>True when <paramref name="keyBlob"/> is a trusted key for <paramref name="host"/>:<paramref name="port"/>.</summary>
    public bool Trusts(string host, int port, byte[] keyBlob)
    {
        var name = port == 22 ? host : $"[{host}]:{port}";
        var key = Convert.ToBase64String(keyBlob);
        return entries.Any(entry => entry.Key == key && entry.Hosts.Any(pattern => string.Equals(pattern, name, StringComparison.OrdinalIgnoreCase)));
    }
}
