using System.Text.Json.Serialization;
using k8s;
using k8s.Models;

namespace GitOpsReverser.KubeSim.Tests.Client;

/// <summary>A custom object for the generic client tests.</summary>
public sealed class Gadget : IKubernetesObject<V1ObjectMeta>
{
    [JsonPropertyName("apiVersion")]
    public string ApiVersion { get; set; } = "";

    [JsonPropertyName("kind")]
    public string Kind { get; set; } = "Gadget";

    [JsonPropertyName("metadata")]
    public V1ObjectMeta Metadata { get; set; } = new();

    [JsonPropertyName("spec")]
    public GadgetSpec Spec { get; set; } = new();
}

/// <summary>The gadget's spec.</summary>
public sealed class GadgetSpec
{
    [JsonPropertyName("size")]
    public int Size { get; set; }
}
