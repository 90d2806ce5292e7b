using GitOpsReverser.Manifests;

namespace GitOpsReverser.Sanitizing;

/// <summary>
/// Keeps only what a user means in <c>metadata</c> (name, namespace, labels, annotations) and drops
/// annotations that the API server or a tool writes for itself, the last-applied configuration first of all:
/// on a Secret it holds the plaintext.
/// </summary>
internal static class MetadataFilter
{
    private static readonly HashSet<string> KeptFields = new(StringComparer.Ordinal) { "name", "namespace", "labels", "annotations" };

    /// <summary>Annotations dropped by exact key.</summary>
    public static readonly IReadOnlySet<string> DroppedAnnotations = new HashSet<string>(StringComparer.Ordinal)
    {
        "kubectl.kubernetes.io/last-applied-configuration",
        "kubernetes.io/service-account.uid",
        "cluster-autoscaler.kubernetes.io/last-updated",
        "argocd.argoproj.io/tracking-id",
        "argocd.argoproj.io/installation-id",
        "deprecated.daemonset.template.generation",
        "endpoints.kubernetes.io/last-change-trigger-time",
        "volume.kubernetes.io/storage-provisioner",
        "volume.beta.kubernetes.io/storage-provisioner",
        "volume.kubernetes.io/selected-node",
        "kapp.k14s.io/original",
        "kapp.k14s.io/original-diff-md5",
    };

    /// <summary>Annotations dropped by key prefix.</summary>
    public static readonly IReadOnlyList<string> DroppedAnnotationPrefixes =
    [
        "deployment.kubernetes.io/",
        "control-plane.alpha.kubernetes.io/",
        "autoscaling.alpha.kubernetes.io/",
        "pv.kubernetes.io/",
    ];

    public static void Apply(MappingNode manifest)
    {
        if (manifest.GetMapping("metadata") is not { } metadata)
        {
            return;
        }

        metadata.RemoveWhere((key, _) => !KeptFields.Contains(key));
        if (metadata.GetMapping("annotations") is { } annotations)
        {
            annotations.RemoveWhere((key, _) => IsDropped(key));
        }

        // Kubernetes does not tell an empty map from a missing one: write neither null nor {}.
        foreach (var field in (ReadOnlySpan<string>)["labels", "annotations"])
        {
            if (metadata[field] is MappingNode { Count: 0 } or ScalarNode { Kind: ScalarKind.Null })
            {
                metadata.Remove(field);
            }
        }

        if (metadata["namespace"] is ScalarNode { Kind: ScalarKind.String, Text: "" } or ScalarNode { Kind: ScalarKind.Null })
        {
            metadata.Remove("namespace");
        }
    }

    public static bool IsDropped(string annotation)
    {
        if (DroppedAnnotations.Contains(annotation))
        {
            return true;
        }

        foreach (var prefix in DroppedAnnotationPrefixes)
        {
            if (annotation.StartsWith(prefix, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }
}
