using GitOpsReverser.Manifests;

namespace GitOpsReverser.Sanitizing;

/// <summary>The value tests used by <see cref="FieldRuleTable"/>.</summary>
internal static class FieldValueMatches
{
    private const string TokenVolumePrefix = "kube-api-access-";

    private static readonly ManifestNode[] DefaultTolerations =
    [
        Parse("{key: node.kubernetes.io/not-ready, operator: Exists, effect: NoExecute, tolerationSeconds: 300}"),
        Parse("{key: node.kubernetes.io/unreachable, operator: Exists, effect: NoExecute, tolerationSeconds: 300}"),
    ];

    public static readonly FieldValueMatch Any = (_, _) => true;

    /// <summary>Only a one-item list: what the API server assigns on a single-stack cluster.</summary>
    public static readonly FieldValueMatch SingleItem = (_, value) => value is SequenceNode { Count: 1 };

    /// <summary>
    /// The kubelet's default pull policy: <c>Always</c> for an image without a tag or tagged <c>latest</c>,
    /// else <c>IfNotPresent</c>. A digest counts as a tag.
    /// </summary>
    public static readonly FieldValueMatch DefaultImagePullPolicy = (container, value) =>
        container.GetString("image") is { } image
        && value is ScalarNode { Kind: ScalarKind.String } policy
        && policy.Text == (IsLatest(image) ? "Always" : "IfNotPresent");

    /// <summary>
    /// The ServiceAccount admission plugin's token volume: <c>kube-api-access-&lt;5 random&gt;</c>, projected from the
    /// account's token. Its name is generated per Pod, so a Pod read back from the cluster never matches its manifest.
    /// </summary>
    public static readonly FieldValueMatch ServiceAccountTokenVolume = (_, item) =>
        item is MappingNode volume
        && volume.GetString("name") is { } name && name.StartsWith(TokenVolumePrefix, StringComparison.Ordinal)
        && volume.GetMapping("projected")?.GetSequence("sources")?.Items.OfType<MappingNode>().Any(source => source["serviceAccountToken"] is not null) == true;

    /// <summary>That volume's mount, which the plugin adds to every container.</summary>
    public static readonly FieldValueMatch ServiceAccountTokenMount = (_, item) =>
        item is MappingNode mount
        && mount.GetString("name") is { } name && name.StartsWith(TokenVolumePrefix, StringComparison.Ordinal)
        && mount.GetString("mountPath") == "/var/run/secrets/kubernetes.io/serviceaccount";

    /// <summary>The two tolerations the DefaultTolerationSeconds admission plugin adds to every Pod.</summary>
    public static readonly FieldValueMatch DefaultToleration = (_, item) =>
        DefaultTolerations.Any(toleration => toleration.DeepEquals(item));

    /// <summary><c>[Ingress]</c>, or <c>[Ingress, Egress]</c> with egress rules: what a NetworkPolicy without policyTypes gets.</summary>
    public static readonly FieldValueMatch DefaultPolicyTypes = (policy, value) =>
        value.DeepEquals(Parse(policy.GetSequence("egress") is { Count: > 0 } ? "[Ingress, Egress]" : "[Ingress]"));

    /// <summary>The value, written as YAML (<c>30</c> is a number, <c>"30"</c> a string).</summary>
    public static FieldValueMatch Is(string yaml)
    {
        var expected = Parse(yaml);
        return (_, value) => value.DeepEquals(expected);
    }

    public static FieldValueMatch IsNot(string yaml)
    {
        var excluded = Parse(yaml);
        return (_, value) => !value.DeepEquals(excluded);
    }

    /// <summary>Equal to the sibling field <paramref name="key"/>, such as a Service port's targetPort and port.</summary>
    public static FieldValueMatch SameAsSibling(string key) => (parent, value) => value.DeepEquals(parent[key]);

    /// <summary>Any value, unless the sibling <paramref name="key"/> holds <paramref name="yaml"/>.</summary>
    public static FieldValueMatch UnlessSibling(string key, string yaml)
    {
        var guard = Parse(yaml);
        return (parent, _) => !guard.DeepEquals(parent[key]);
    }

    private static ManifestNode Parse(string yaml) =>
        YamlManifestReader.ReadDocuments(yaml) is [var node] ? node : throw new ArgumentException($"not one YAML value: {yaml}", nameof(yaml));

    private static bool IsLatest(string image)
    {
        if (image.Contains('@', StringComparison.Ordinal))
        {
            return false;
        }

        var colon = image.LastIndexOf(':');
        var tagged = colon > image.LastIndexOf('/');
        return !tagged || image[(colon + 1)..] == "latest";
    }
}
