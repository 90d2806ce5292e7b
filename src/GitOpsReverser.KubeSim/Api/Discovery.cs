using System.Text.Json.Nodes;

namespace GitOpsReverser.KubeSim.Api;

/// <summary>
/// API discovery in both formats: the legacy documents (<c>/api</c>, <c>/apis</c>, one
/// APIResourceList per group/version) and the aggregated APIGroupDiscoveryList (apidiscovery.k8s.io/v2)
/// that current kubectl asks for first.
/// </summary>
internal static class Discovery
{
    public const string AggregatedContentType = "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList";

    public static bool WantsAggregated(string? accept) =>
        accept is not null && accept.Contains("g=apidiscovery.k8s.io", StringComparison.Ordinal)
        && accept.Contains("v=v2;", StringComparison.Ordinal) && accept.Contains("as=APIGroupDiscoveryList", StringComparison.Ordinal);

    public static JsonObject Version() => new()
    {
        ["major"] = "1",
        ["minor"] = "34",
        ["emulationMajor"] = "1",
        ["emulationMinor"] = "34",
        ["gitVersion"] = "v1.34.0-kubesim",
        ["gitCommit"] = "0000000000000000000000000000000000000000",
        ["gitTreeState"] = "clean",
        ["buildDate"] = "2026-01-01T00:00:00Z",
        ["goVersion"] = "go1.24.0",
        ["compiler"] = "gc",
        ["platform"] = "linux/amd64",
    };

    public static JsonObject CoreVersions(string serverAddress) => new()
    {
        ["kind"] = "APIVersions",
        ["versions"] = new JsonArray("v1"),
        ["serverAddressByClientCIDRs"] = new JsonArray(new JsonObject { ["clientCIDR"] = "0.0.0.0/0", ["serverAddress"] = serverAddress }),
    };

    /// <summary><c>/apis</c>: every named group; the core group lives only at <c>/api</c>.</summary>
    public static JsonObject GroupList(IReadOnlyList<ResourceType> types)
    {
        var groups = new JsonArray();
        foreach (var group in Groups(types).Where(pair => pair.Key.Length > 0))
        {
            groups.Add(Group(group.Key, group.Value));
        }

        return new JsonObject { ["kind"] = "APIGroupList", ["apiVersion"] = "v1", ["groups"] = groups };
    }

    public static JsonObject? GroupDocument(IReadOnlyList<ResourceType> types, string group)
    {
        var versions = Groups(types).FirstOrDefault(pair => pair.Key == group).Value;
        return versions is null ? null : Group(group, versions);
    }

    public static JsonObject ResourceList(IReadOnlyList<ResourceType> types, string group, string version)
    {
        var resources = new JsonArray();
        foreach (var type in types.Where(type => type.Group == group && type.Version == version))
        {
            var resource = new JsonObject
            {
                ["name"] = type.Plural,
                ["singularName"] = type.Singular,
                ["namespaced"] = type.Namespaced,
                ["kind"] = type.Kind,
                ["verbs"] = Strings(type.Verbs),
            };
            if (type.ShortNames.Count > 0)
            {
                resource["shortNames"] = Strings(type.ShortNames);
            }

            if (type.Categories.Count > 0)
            {
                resource["categories"] = Strings(type.Categories);
            }

            resources.Add(resource);
            foreach (var subresource in AllSubresources(type))
            {
                var entry = new JsonObject
                {
                    ["name"] = $"{type.Plural}/{subresource.Name}",
                    ["singularName"] = "",
                    ["namespaced"] = type.Namespaced,
                };
                if (subresource.Group != type.Group || subresource.Version != type.Version)
                {
                    entry["group"] = subresource.Group;
                    entry["version"] = subresource.Version;
                }

                entry["kind"] = subresource.Kind;
                entry["verbs"] = Strings(subresource.Verbs);
                resources.Add(entry);
            }
        }

        return new JsonObject
        {
            ["kind"] = "APIResourceList",
            ["apiVersion"] = "v1",
            ["groupVersion"] = group.Length == 0 ? version : $"{group}/{version}",
            ["resources"] = resources,
        };
    }

    /// <summary>The aggregated document for <c>/api</c> (core) or <c>/apis</c> (every named group).</summary>
    public static JsonObject Aggregated(IReadOnlyList<ResourceType> types, bool core)
    {
        var items = new JsonArray();
        foreach (var (group, versions) in Groups(types).Where(pair => (pair.Key.Length == 0) == core))
        {
            var versionArray = new JsonArray();
            foreach (var version in versions)
            {
                var resources = new JsonArray();
                foreach (var type in types.Where(type => type.Group == group && type.Version == version))
                {
                    var kind = new JsonObject { ["group"] = group, ["version"] = version, ["kind"] = type.Kind };
                    var resource = new JsonObject
                    {
                        ["resource"] = type.Plural,
                        ["responseKind"] = kind,
                        ["scope"] = type.Namespaced ? "Namespaced" : "Cluster",
                        ["singularResource"] = type.Singular,
                        ["verbs"] = Strings(type.Verbs),
                    };
                    if (type.ShortNames.Count > 0)
                    {
                        resource["shortNames"] = Strings(type.ShortNames);
                    }

                    if (type.Categories.Count > 0)
                    {
                        resource["categories"] = Strings(type.Categories);
                    }

                    var subresources = new JsonArray();
                    foreach (var subresource in AllSubresources(type))
                    {
                        subresources.Add(new JsonObject
                        {
                            ["subresource"] = subresource.Name,
                            ["responseKind"] = new JsonObject
                            {
                                ["group"] = subresource.Group,
                                ["version"] = subresource.Version,
                                ["kind"] = subresource.Kind,
                            },
                            ["verbs"] = Strings(subresource.Verbs),
                        });
                    }

                    if (subresources.Count > 0)
                    {
                        resource["subresources"] = subresources;
                    }

                    resources.Add(resource);
                }

                versionArray.Add(new JsonObject { ["version"] = version, ["resources"] = resources, ["freshness"] = "Current" });
            }

            items.Add(new JsonObject
            {
                ["metadata"] = new JsonObject { ["name"] = group, ["creationTimestamp"] = null },
                ["versions"] = versionArray,
            });
        }

        return new JsonObject
        {
            ["kind"] = "APIGroupDiscoveryList",
            ["apiVersion"] = "apidiscovery.k8s.io/v2",
            ["metadata"] = new JsonObject(),
            ["items"] = items,
        };
    }

    // Groups in first-seen order, each with its versions by Kubernetes' version priority: the first,
    // the preferred version, is the highest across every CRD of the group, as the API server chooses it.
    private static List<KeyValuePair<string, List<string>>> Groups(IReadOnlyList<ResourceType> types)
    {
        var groups = new List<KeyValuePair<string, List<string>>>();
        foreach (var type in types)
        {
            var index = groups.FindIndex(pair => pair.Key == type.Group);
            if (index < 0)
            {
                groups.Add(new(type.Group, [type.Version]));
            }
            else if (!groups[index].Value.Contains(type.Version))
            {
                groups[index].Value.Add(type.Version);
            }
        }

        foreach (var (_, versions) in groups)
        {
            versions.Sort(VersionOrder.Instance);
        }

        return groups;
    }

    private static JsonObject Group(string group, List<string> versions)
    {
        var versionArray = new JsonArray();
        foreach (var version in versions)
        {
            versionArray.Add(new JsonObject { ["groupVersion"] = $"{group}/{version}", ["version"] = version });
        }

        return new JsonObject
        {
            ["kind"] = "APIGroup",
            ["apiVersion"] = "v1",
            ["name"] = group,
            ["versions"] = versionArray,
            ["preferredVersion"] = new JsonObject { ["groupVersion"] = $"{group}/{versions[0]}", ["version"] = versions[0] },
        };
    }

    private static JsonArray Strings(IEnumerable<string> values) => new([.. values.Select(value => (JsonNode?)value)]);

    // Every subresource of a type, status among them, in name order as the API server lists them.
    private static IEnumerable<Subresource> AllSubresources(ResourceType type) =>
        type.Subresources.Concat(type.HasStatus ? [new Subresource("status", type.Group, type.Version, type.Kind, ["get", "patch", "update"])] : [])
            .OrderBy(subresource => subresource.Name, StringComparer.Ordinal);
}
