namespace GitOpsReverser.Kube;

/// <summary>A resource type a reflector follows: its group, version, plural name, kind and scope.</summary>
internal sealed record WatchedResource(string Group, string Version, string Plural, string Kind, bool Namespaced)
{
    /// <summary>The cluster-wide collection path: <c>api/v1/configmaps</c> or <c>apis/apps/v1/deployments</c>.</summary>
    public string CollectionPath => Group.Length == 0 ? $"api/{Version}/{Plural}" : $"apis/{Group}/{Version}/{Plural}";

    public string ApiVersion => Group.Length == 0 ? Version : $"{Group}/{Version}";

    public override string ToString() => Group.Length == 0 ? Plural : $"{Plural}.{Group}";
}
