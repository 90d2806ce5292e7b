namespace GitOpsReverser.KubeSim.Api;

/// <summary>
/// A subresource beside <c>status</c>, with the kind it answers and the verbs it takes: a ServiceAccount's
/// <c>token</c> (TokenRequest, create), a Pod's <c>log</c> (get) and <c>exec</c> (PodExecOptions, get and create),
/// the <c>scale</c> of the workload kinds (autoscaling/v1 Scale, get, patch and update).
/// </summary>
internal sealed record Subresource(string Name, string Group, string Version, string Kind, IReadOnlyList<string> Verbs)
{
    public static readonly Subresource Token = new("token", "authentication.k8s.io", "v1", "TokenRequest", ["create"]);

    public static readonly Subresource Log = new("log", "", "v1", "Pod", ["get"]);

    public static readonly Subresource Exec = new("exec", "", "v1", "PodExecOptions", ["create", "get"]);

    public static readonly Subresource Scale = new("scale", "autoscaling", "v1", "Scale", ["get", "patch", "update"]);
}
