namespace GitOpsReverser.Manifests;

/// <summary>
/// A node of a Kubernetes object as JSON sees it: a mapping with string keys, a sequence, or a typed scalar.
/// Both JSON and YAML input are read into this one model, so everything downstream is format-blind.
/// </summary>
internal abstract class ManifestNode
{
    public abstract ManifestNode DeepClone();

    public abstract bool DeepEquals(ManifestNode? other);
}
