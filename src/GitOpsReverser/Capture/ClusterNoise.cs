using GitOpsReverser.Kube;
using GitOpsReverser.Manifests;
using GitOpsReverser.Specs;
using NoiseCategory = GitOpsReverser.Api.V1Alpha1.NoiseCategory;

namespace GitOpsReverser.Capture;

/// <summary>
/// Objects a cluster makes for itself, which no rule captures unless its <c>include</c> names their
/// category (<see cref="NoiseCategories"/>): what lands in Git is what people wrote.
/// </summary>
internal static class ClusterNoise
{
    // Objects the API server and kube-controller-manager make, by kind and name (any namespace when null).
    private static readonly (string Group, string Kind, string? Namespace, string Name)[] Defaults =
    [
        ("", "ConfigMap", null, "kube-root-ca.crt"),
        ("", "ServiceAccount", null, "default"),
        ("", "Service", "default", "kubernetes"),
        ("", "ConfigMap", "kube-system", "extension-apiserver-authentication"),
        ("", "ConfigMap", "kube-system", "kube-apiserver-legacy-service-account-token-tracking"),
        ("", "ConfigMap", "kube-public", "cluster-info"),
    ];

    // The namespaces the API server makes for itself; while only it has written them, they are noise too.
    private static readonly HashSet<string> SystemNamespaces = new(["default", "kube-system", "kube-public", "kube-node-lease"], StringComparer.Ordinal);

    private const string ApiServerManager = "kube-apiserver";

    /// <summary>The category <paramref name="obj"/> of <paramref name="resource"/> belongs to, or null for an object people made.</summary>
    public static NoiseCategory? Classify(WatchedResource resource, MappingNode obj)
    {
        var metadata = obj.GetMapping("metadata");
        var name = metadata?.GetString("name") ?? "";
        var ns = metadata?.GetString("namespace");
        foreach (var (group, kind, defaultNamespace, defaultName) in Defaults)
        {
            if (resource.Group == group && resource.Kind == kind && name == defaultName && (defaultNamespace is null || defaultNamespace == ns))
            {
                return NoiseCategory.ClusterDefaults;
            }
        }

        if (resource.Group == "" && resource.Kind == "Namespace" && SystemNamespaces.Contains(name) && OnlyTheApiServerWrote(metadata))
        {
            return NoiseCategory.ClusterDefaults;
        }

        var labels = metadata?.GetMapping("labels");
        var annotations = metadata?.GetMapping("annotations");
        switch (resource.Group)
        {
            case "rbac.authorization.k8s.io"
                when labels?.GetString("kubernetes.io/bootstrapping") == "rbac-defaults"
                    || annotations?.GetString("rbac.authorization.kubernetes.io/autoupdate") == "true":
                return NoiseCategory.BootstrapRbac;
            case "flowcontrol.apiserver.k8s.io" when annotations?.GetString("apf.kubernetes.io/autoupdate-spec") is { }:
                return NoiseCategory.FlowControlDefaults;
            case "" when resource.Kind == "Secret":
                return obj.GetString("type") switch
                {
                    "helm.sh/release.v1" => NoiseCategory.HelmReleases,
                    "kubernetes.io/service-account-token" => NoiseCategory.ServiceAccountTokens,
                    _ => null,
                };
            case "" when resource.Kind == "ConfigMap" && labels?.GetString("owner") == "helm" && name.StartsWith("sh.helm.release.v1.", StringComparison.Ordinal):
                // Helm's ConfigMap storage driver (HELM_DRIVER=configmap).
                return NoiseCategory.HelmReleases;
            default:
                return null;
        }
    }

    // Every managedFields entry is the API server's: nobody has labelled, annotated or otherwise written it since.
    private static bool OnlyTheApiServerWrote(MappingNode? metadata) =>
        metadata?.GetSequence("managedFields")?.Items.OfType<MappingNode>().ToList() is { Count: > 0 } entries
        && entries.All(entry => entry.GetString("manager") == ApiServerManager);
}
