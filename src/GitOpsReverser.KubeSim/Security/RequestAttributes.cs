namespace GitOpsReverser.KubeSim.Security;

/// <summary>
/// What a request asks to do, as the API server's authorizers see it: a verb on a resource (with
/// subresource, name and namespace) or, for paths such as <c>/apis</c>, a verb on a non-resource URL.
/// </summary>
internal sealed record RequestAttributes(string Verb, string Group, string Resource, string? Subresource, string? Name, string? Namespace)
{
    /// <summary>The path of a non-resource request (<c>/apis</c>, <c>/version</c>); null for resource requests.</summary>
    public string? Path { get; private init; }

    public bool IsResourceRequest => Path is null;

    /// <summary><c>resource</c> or <c>resource/subresource</c>, as RBAC rules and error messages name it.</summary>
    public string CombinedResource => Subresource is null ? Resource : $"{Resource}/{Subresource}";

    public static RequestAttributes NonResource(string verb, string path) => new(verb, "", "", null, null, null) { Path = path };

    /// <summary>The API server's words for a denied request: <c>User "u" cannot list resource "secrets" in API group "" at the cluster scope</c>.</summary>
    public string DeniedMessage(UserInfo user)
    {
        if (!IsResourceRequest)
        {
            return $"User \"{user.Username}\" cannot {Verb} path \"{Path}\"";
        }

        var scope = string.IsNullOrEmpty(Namespace) ? "at the cluster scope" : $"in the namespace \"{Namespace}\"";
        return $"User \"{user.Username}\" cannot {Verb} resource \"{CombinedResource}\" in API group \"{Group}\" {scope}";
    }
}
