using System.Collections.Immutable;
using System.Text.Json.Nodes;

namespace GitOpsReverser.KubeSim.Api;

/// <summary>
/// Every served resource type: the built-in table plus the served versions of every established
/// CRD. Readers see an immutable snapshot; a CRD write swaps in a new one, so discovery and the
/// OpenAPI index change at once.
/// </summary>
internal sealed class ResourceCatalog
{
    private ImmutableArray<ResourceType> types = [.. BuiltInTypes.All];
    private ImmutableDictionary<string, ImmutableArray<ResourceType>> customByCrd =
        ImmutableDictionary<string, ImmutableArray<ResourceType>>.Empty;

    private readonly Lock gate = new();

    public ImmutableArray<ResourceType> Types => types;

    /// <summary>Changes whenever the set of types changes; the OpenAPI index's hashes use it.</summary>
    public int Revision { get; private set; }

    public ResourceType? Find(string group, string version, string plural)
    {
        foreach (var type in types)
        {
            if (type.Plural == plural && type.Version == version && type.Group == group)
            {
                return type;
            }
        }

        return null;
    }

    /// <summary>Adds or replaces the types a CRD serves.</summary>
    public void PutCustomResourceDefinition(string crdName, IReadOnlyList<ResourceType> served)
    {
        lock (gate)
        {
            customByCrd = customByCrd.SetItem(crdName, [.. served]);
            Rebuild();
        }
    }

    public void RemoveCustomResourceDefinition(string crdName)
    {
        lock (gate)
        {
            customByCrd = customByCrd.Remove(crdName);
            Rebuild();
        }
    }

    /// <summary>The served versions of a CRD object, as resource types.</summary>
    public static IReadOnlyList<ResourceType> TypesOf(JsonObject crd)
    {
        var spec = crd["spec"]?.AsObject() ?? throw ApiException.BadRequest("spec is required");
        var names = spec["names"]?.AsObject() ?? new JsonObject();
        var group = (string?)spec["group"] ?? "";
        var plural = (string?)names["plural"] ?? "";
        var kind = (string?)names["kind"] ?? "";
        var singular = (string?)names["singular"] ?? kind.ToLowerInvariant();
        var namespaced = ((string?)spec["scope"] ?? "Namespaced") == "Namespaced";
        var shortNames = names["shortNames"]?.AsArray().Select(node => (string)node!).ToArray() ?? [];
        var categories = names["categories"]?.AsArray().Select(node => (string)node!).ToArray() ?? [];
        var result = new List<ResourceType>();
        foreach (var version in spec["versions"]?.AsArray() ?? [])
        {
            if (version is not JsonObject versionObject || versionObject["served"]?.GetValue<bool>() == false)
            {
                continue;
            }

            var hasStatus = versionObject["subresources"]?["status"] is not null;
            result.Add(new ResourceType(group, (string?)versionObject["name"] ?? "", plural, singular, kind, namespaced,
                shortNames, hasStatus, TracksGeneration: true, IsCustom: true, categories)
            {
                Schema = versionObject["schema"]?["openAPIV3Schema"]?.DeepClone().AsObject(),
                ReturnsDeletedObject = true,
                PrinterColumns = PrinterColumnsOf(versionObject["additionalPrinterColumns"] as JsonArray),
            });
        }

        return result;
    }

    private static List<PrinterColumn>? PrinterColumnsOf(JsonArray? columns) =>
        columns is null or { Count: 0 }
            ? null
            : [.. columns.OfType<JsonObject>().Select(column => new PrinterColumn(
                (string?)column["name"] ?? "",
                (string?)column["type"] ?? "string",
                (string?)column["description"] ?? "",
                (int?)column["priority"] ?? 0,
                (string?)column["format"] ?? "",
                (string?)column["jsonPath"] ?? ""))];

    private void Rebuild()
    {
        types = [.. BuiltInTypes.All, .. customByCrd.OrderBy(pair => pair.Key, StringComparer.Ordinal).SelectMany(pair => pair.Value)];
        Revision++;
    }
}
