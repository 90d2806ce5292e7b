namespace GitOpsReverser.KubeSim.Patching;

/// <summary>
/// The strategic-merge keys of the built-in kinds' lists (their Go types' <c>patchMergeKey</c>):
/// lists of containers, env, ports, volumes and mounts merge element by element under these keys;
/// every other list is replaced whole. Server-side apply uses the same keys for list ownership.
/// </summary>
internal static class MergeKeys
{
    /// <summary>
    /// The merge key of list <paramref name="field"/>, given the list field that holds the object
    /// it sits in (<paramref name="enclosingList"/>, e.g. <c>containers</c>), or null when the list is atomic.
    /// </summary>
    public static string? For(string field, string? enclosingList) => field switch
    {
        "containers" or "initContainers" or "ephemeralContainers" => "name",
        "env" or "volumes" or "imagePullSecrets" => "name",
        "volumeMounts" => "mountPath",
        "volumeDevices" => "devicePath",
        "hostAliases" => "ip",
        "ownerReferences" => "uid",
        "conditions" => "type",
        "ports" => enclosingList is "containers" or "initContainers" or "ephemeralContainers" ? "containerPort" : "port",
        _ => null,
    };

    /// <summary>Lists of scalars that strategic merge treats as sets (<c>patchStrategy: merge</c>).</summary>
    public static bool IsScalarSet(string field) => field is "finalizers";
}
