using GitOpsReverser.Api.V1Alpha1;

namespace GitOpsReverser.Specs;

/// <summary>The <c>include</c> switch of each <see cref="NoiseCategory"/>, and why it is left out by default.</summary>
internal static class NoiseCategories
{
    public static IReadOnlyList<(NoiseCategory Category, string Name, string Reason)> All { get; } =
    [
        (NoiseCategory.ClusterDefaults, "clusterDefaults",
            "made by the cluster itself (kube-root-ca.crt, the default ServiceAccount, the kubernetes Service, extension-apiserver-authentication)"),
        (NoiseCategory.BootstrapRbac, "bootstrapRbac", "bootstrap RBAC that the API server reconciles at every start"),
        (NoiseCategory.FlowControlDefaults, "flowControlDefaults", "an API priority-and-fairness default that the API server maintains"),
        (NoiseCategory.HelmReleases, "helmReleases", "Helm's record of a release, one more per upgrade"),
        (NoiseCategory.ServiceAccountTokens, "serviceAccountTokens", "a service-account token Secret that the token controller fills in"),
    ];

    public static string NameOf(NoiseCategory category) => All.First(entry => entry.Category == category).Name;

    public static string ReasonOf(NoiseCategory category) => All.First(entry => entry.Category == category).Reason;

    /// <summary>Parses a switch name; false for a name that is not one.</summary>
    public static bool TryParse(string name, out NoiseCategory category)
    {
        foreach (var entry in All)
        {
            if (entry.Name == name)
            {
                category = entry.Category;
                return true;
            }
        }

        category = default;
        return false;
    }
}
