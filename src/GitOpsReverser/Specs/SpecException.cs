namespace GitOpsReverser.Specs;

/// <summary>A custom resource's spec that cannot be used; <see cref="Reason"/> and the message go to its Ready condition.</summary>
internal sealed class SpecException(string reason, string message) : Exception(message)
{
    public string Reason { get; } = reason;
}
