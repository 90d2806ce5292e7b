using System.Text.Json.Nodes;

namespace GitOpsReverser.KubeSim.Api;

/// <summary>SetDefaults_Service and the Service registry: cluster IPs, node ports, target ports and protocols.</summary>
internal static partial class BuiltInDefaults
{
    private static void DefaultService(JsonObject service, JsonObject? old, ServiceIps ips)
    {
        var spec = Object(service, "spec");
        Default(spec, "type", "ClusterIP");
        var type = (string?)spec["type"];
        if (type == "ExternalName")
        {
            return;
        }

        Default(spec, "sessionAffinity", "None");
        Default(spec, "internalTrafficPolicy", "Cluster");
        foreach (var port in (spec["ports"] as JsonArray ?? []).OfType<JsonObject>())
        {
            Default(port, "protocol", "TCP");
            // An unset targetPort (0 or "" from a protobuf body) becomes the port, as SetDefaults_Service does.
            if (IsUnsetTargetPort(port["targetPort"]) && port["port"] is { } number)
            {
                port["targetPort"] = number.DeepClone();
            }
        }

        if (type is "NodePort" or "LoadBalancer")
        {
            Default(spec, "externalTrafficPolicy", "Cluster");
            if (type == "LoadBalancer")
            {
                Default(spec, "allocateLoadBalancerNodePorts", true);
            }

            // Node ports from 30000-32767 for ports without one; on an update an omitted one keeps the old.
            var oldPorts = (old?["spec"]?["ports"] as JsonArray ?? []).OfType<JsonObject>().ToList();
            if (type == "NodePort" || spec["allocateLoadBalancerNodePorts"] is not JsonValue allocate || allocate.GetValue<bool>())
            {
                foreach (var port in (spec["ports"] as JsonArray ?? []).OfType<JsonObject>().Where(port => port["nodePort"] is null))
                {
                    var kept = oldPorts.FirstOrDefault(previous => JsonNode.DeepEquals(previous["port"], port["port"])
                        && JsonNode.DeepEquals(previous["protocol"], port["protocol"]))?["nodePort"];
                    port["nodePort"] = kept?.DeepClone() ?? ips.AllocateNodePort();
                }
            }
        }

        // On an update an omitted clusterIP keeps the allocated one, as the Service registry does.
        var oldSpec = old?["spec"] as JsonObject;
        foreach (var field in new[] { "clusterIP", "clusterIPs", "ipFamilies", "ipFamilyPolicy" })
        {
            if (spec[field] is null && oldSpec?[field] is { } kept)
            {
                spec[field] = kept.DeepClone();
            }
        }

        if (spec["clusterIP"] is null)
        {
            spec["clusterIP"] = ips.Allocate();
        }

        spec["clusterIPs"] ??= new JsonArray((string?)spec["clusterIP"]);
        spec["ipFamilies"] ??= new JsonArray("IPv4");
        spec["ipFamilyPolicy"] ??= "SingleStack";
        if (old is null)
        {
            service["status"] = new JsonObject { ["loadBalancer"] = new JsonObject() };
        }
    }

    private static bool IsUnsetTargetPort(JsonNode? targetPort) =>
        targetPort is null || (targetPort is JsonValue value && ((value.TryGetValue<long>(out var number) && number == 0)
            || (value.TryGetValue<string>(out var text) && text.Length == 0)));

    private static void DefaultProtocols(JsonArray? ports)
    {
        foreach (var port in (ports ?? []).OfType<JsonObject>())
        {
            Default(port, "protocol", "TCP");
        }
    }
}
