using System.Text.RegularExpressions;

namespace GitOpsReverser.Manifests;

/// <summary>Which object a manifest describes. Every part is validated, so it is safe to use in a path.</summary>
internal readonly partial record struct ObjectIdentity(string ApiVersion, string Kind, string? Namespace, string Name)
{
    /// <summary>The API group, empty for the core group (<c>v1</c>).</summary>
    public string Group => ApiVersion.IndexOf('/', StringComparison.Ordinal) is var slash and >= 0 ? ApiVersion[..slash] : string.Empty;

    public bool IsNamespaced => Namespace is not null;

    /// <summary>Reads and validates apiVersion, kind, metadata.name and metadata.namespace.</summary>
    public static bool TryRead(MappingNode manifest, out ObjectIdentity identity, out string error)
    {
        identity = default;
        var apiVersion = manifest.GetString("apiVersion");
        var kind = manifest.GetString("kind");
        var metadata = manifest.GetMapping("metadata");
        var name = metadata?.GetString("name");
        var ns = metadata?.GetString("namespace");
        error = (apiVersion, kind, name) switch
        {
            (null or "", _, _) => "missing apiVersion",
            (_, null or "", _) => "missing kind",
            (_, _, null or "") => "missing metadata.name",
            _ when !ApiVersionPattern().IsMatch(apiVersion) => $"invalid apiVersion \"{apiVersion}\"",
            _ when !KindPattern().IsMatch(kind) => $"invalid kind \"{kind}\"",
            _ when name.Length > 253 => "metadata.name is longer than 253 characters",
            _ when name.Contains('/', StringComparison.Ordinal) => $"invalid metadata.name \"{name}\": contains '/'",
            _ when ns is not null && !NamespacePattern().IsMatch(ns) => $"invalid metadata.namespace \"{ns}\"",
            _ => string.Empty,
        };
        if (error.Length > 0)
        {
            return false;
        }

        identity = new ObjectIdentity(apiVersion!, kind!, string.IsNullOrEmpty(ns) ? null : ns, name!);
        return true;
    }

    public override string ToString() => Namespace is null ? $"{Kind}/{Name}" : $"{Kind} {Namespace}/{Name}";

    // group/version with a DNS-subdomain group, or a bare version for the core group.
    [GeneratedRegex(@"^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*/)?[a-z0-9]([-a-z0-9]*[a-z0-9])?$", RegexOptions.CultureInvariant)]
    private static partial Regex ApiVersionPattern();

    [GeneratedRegex(@"^[A-Za-z][A-Za-z0-9]{0,62}$", RegexOptions.CultureInvariant)]
    private static partial Regex KindPattern();

    [GeneratedRegex(@"^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$", RegexOptions.CultureInvariant)]
    private static partial Regex NamespacePattern();
}
