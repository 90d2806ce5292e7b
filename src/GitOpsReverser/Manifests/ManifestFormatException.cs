namespace GitOpsReverser.Manifests;

/// <summary>Input that is not well-formed JSON or YAML, or not shaped like a Kubernetes object.</summary>
internal sealed class ManifestFormatException(string message, Exception? innerException = null)
    : Exception(message, innerException);
