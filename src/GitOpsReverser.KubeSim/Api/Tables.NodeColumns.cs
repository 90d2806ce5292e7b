using System.Text.Json.Nodes;

namespace GitOpsReverser.KubeSim.Api;

/// <summary>The cells of Node rows: status, roles and addresses, as printNode computes them.</summary>
internal static partial class Tables
{
    private const string NodeAddressesDescription =
        "List of addresses reachable to the node. Queried from cloud provider, if available. More info: https://kubernetes.io/docs/reference/node/node-status/#addresses " +
        "Note: This field is declared as mergeable, but the merge key is not sufficiently unique, which can cause data corruption when it is merged. Callers should " +
        "instead use a full-replacement patch. See https://pr.k8s.io/79391 for an example. Consumers should assume that addresses can change during the lifetime of " +
        "a Node. However, there are some exceptions where this may not be possible, such as Pods that inherit a Node's address in its own status or consumers of " +
        "the downward API (status.hostIP).";

    // printNode: Ready or NotReady from the Ready condition (Unknown without one), then SchedulingDisabled when cordoned.
    private static string NodeStatus(JsonObject obj)
    {
        var ready = (obj["status"]?["conditions"] as JsonArray ?? []).FirstOrDefault(condition => (string?)condition?["type"] == "Ready");
        var status = new List<string> { ready is null ? "Unknown" : (string?)ready["status"] == "True" ? "Ready" : "NotReady" };
        if ((bool?)obj["spec"]?["unschedulable"] == true)
        {
            status.Add("SchedulingDisabled");
        }

        return string.Join(',', status);
    }

    // Roles from node-role.kubernetes.io/<role> labels and the kubernetes.io/role label, sorted.
    private static string NodeRoles(JsonObject obj)
    {
        var roles = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var (key, value) in obj["metadata"]?["labels"] as JsonObject ?? [])
        {
            if (key.StartsWith("node-role.kubernetes.io/", StringComparison.Ordinal) && key.Length > "node-role.kubernetes.io/".Length)
            {
                roles.Add(key["node-role.kubernetes.io/".Length..]);
            }
            else if (key == "kubernetes.io/role" && (string?)value is { Length: > 0 } role)
            {
                roles.Add(role);
            }
        }

        return roles.Count == 0 ? "<none>" : string.Join(',', roles);
    }

    private static string NodeAddress(JsonObject obj, string type) =>
        (obj["status"]?["addresses"] as JsonArray ?? []).FirstOrDefault(address => (string?)address?["type"] == type)?["address"]?.GetValue<string>() ?? "<none>";
}
