using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace GitOpsReverser.KubeSim.Api;

/// <summary>
/// What the API server's registry strategies do to an object on write that KubeSim reproduces:
/// name validation, generation, the status split, and the per-kind rules (Secret stringData,
/// Namespace phase and finalizer, CRD names and conditions).
/// </summary>
internal static partial class ObjectRules
{
    private const string SubdomainMessage =
        "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end " +
        "with an alphanumeric character (e.g. 'example.com', regex used for validation is " +
        "'[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";

    private const string LabelMessage =
        "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an " +
        "alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')";

    public static string Timestamp(DateTimeOffset now) =>
        now.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    public static JsonObject Metadata(JsonObject obj)
    {
        if (obj["metadata"] is not JsonObject metadata)
        {
            obj["metadata"] = metadata = [];
        }

        return metadata;
    }

    /// <summary>422 causes for an invalid name, or none.</summary>
    public static List<(string Field, string Type, string Message)> ValidateName(ResourceType type, string? name)
    {
        var causes = new List<(string, string, string)>();
        if (string.IsNullOrEmpty(name))
        {
            causes.Add(("metadata.name", "FieldValueRequired", "Required value: name or generateName is required"));
        }
        else if (type.Kind == "Namespace")
        {
            if (name.Length > 63 || !LabelPattern().IsMatch(name))
            {
                causes.Add(("metadata.name", "FieldValueInvalid", $"Invalid value: \"{name}\": {LabelMessage}"));
            }
        }
        else if (type.Group == "rbac.authorization.k8s.io")
        {
            // RBAC objects need only a valid path segment: "system:discovery" is a fine ClusterRole name.
            var problem = name switch
            {
                "." => "may not be '.'",
                ".." => "may not be '..'",
                _ when name.Contains('/', StringComparison.Ordinal) => "may not contain '/'",
                _ when name.Contains('%', StringComparison.Ordinal) => "may not contain '%'",
                _ => null,
            };
            if (problem is not null)
            {
                causes.Add(("metadata.name", "FieldValueInvalid", $"Invalid value: \"{name}\": {problem}"));
            }
        }
        else if (name.Length > 253 || !SubdomainPattern().IsMatch(name))
        {
            causes.Add(("metadata.name", "FieldValueInvalid", $"Invalid value: \"{name}\": {SubdomainMessage}"));
        }

        return causes;
    }

    /// <summary>True when a write changed what <c>metadata.generation</c> counts: everything but metadata (and status, when it is a subresource).</summary>
    public static bool SpecChanged(ResourceType type, JsonObject old, JsonObject updated)
    {
        static JsonObject Strip(JsonObject obj, bool dropStatus)
        {
            var copy = obj.DeepClone().AsObject();
            copy.Remove("metadata");
            if (dropStatus)
            {
                copy.Remove("status");
            }

            return copy;
        }

        return !JsonNode.DeepEquals(Strip(old, type.HasStatus), Strip(updated, type.HasStatus));
    }

    /// <summary>Secret stringData is write-only: the server folds it into data, base64-encoded.</summary>
    public static void FoldStringData(JsonObject secret)
    {
        if (secret["stringData"] is not JsonObject stringData)
        {
            return;
        }

        if (secret["data"] is not JsonObject data)
        {
            secret["data"] = data = [];
        }

        foreach (var (key, value) in stringData)
        {
            data[key] = Convert.ToBase64String(Encoding.UTF8.GetBytes((string?)value ?? ""));
        }

        secret.Remove("stringData");
    }

    /// <summary>A new Namespace is Active with the <c>kubernetes</c> finalizer in its spec.</summary>
    public static void InitializeNamespace(JsonObject ns)
    {
        if (ns["spec"] is not JsonObject spec)
        {
            ns["spec"] = spec = [];
        }

        spec["finalizers"] ??= new JsonArray("kubernetes");
        ns["status"] = new JsonObject { ["phase"] = "Active" };
    }

    /// <summary>Checks a CRD's names and versions; sets the conditions its controller would set at once.</summary>
    public static void AcceptCustomResourceDefinition(ResourceType crdType, JsonObject crd, DateTimeOffset now)
    {
        var name = (string?)crd["metadata"]?["name"] ?? "";
        var spec = crd["spec"] as JsonObject;
        var names = spec?["names"] as JsonObject;
        var group = (string?)spec?["group"] ?? "";
        var plural = (string?)names?["plural"] ?? "";
        var kind = (string?)names?["kind"] ?? "";
        var versions = spec?["versions"] as JsonArray ?? [];
        var causes = new List<(string, string, string)>();
        if (group.Length == 0)
        {
            causes.Add(("spec.group", "FieldValueRequired", "Required value"));
        }

        if (plural.Length == 0)
        {
            causes.Add(("spec.names.plural", "FieldValueRequired", "Required value"));
        }

        if (kind.Length == 0)
        {
            causes.Add(("spec.names.kind", "FieldValueRequired", "Required value"));
        }

        if (name != $"{plural}.{group}")
        {
            causes.Add(("metadata.name", "FieldValueInvalid", $"Invalid value: \"{name}\": must be spec.names.plural+\".\"+spec.group"));
        }

        var scope = (string?)spec?["scope"];
        if (scope is not ("Namespaced" or "Cluster"))
        {
            causes.Add(("spec.scope", "FieldValueNotSupported", $"Unsupported value: \"{scope}\": supported values: \"Cluster\", \"Namespaced\""));
        }

        var storage = versions.OfType<JsonObject>().Where(version => version["storage"]?.GetValue<bool>() == true).ToList();
        if (versions.Count == 0)
        {
            causes.Add(("spec.versions", "FieldValueInvalid", "Invalid value: null: must have exactly one version marked as storage version"));
        }
        else if (storage.Count != 1)
        {
            causes.Add(("spec.versions", "FieldValueInvalid", $"Invalid value: {versions.ToJsonString()}: must have exactly one version marked as storage version"));
        }

        if (causes.Count > 0)
        {
            throw ApiException.Invalid(crdType, name, causes);
        }

        var accepted = names!.DeepClone().AsObject();
        accepted["singular"] ??= kind.ToLowerInvariant();
        accepted["listKind"] ??= kind + "List";
        var time = Timestamp(now);
        crd["status"] = new JsonObject
        {
            ["conditions"] = new JsonArray(
                Condition("NamesAccepted", "NoConflicts", "no conflicts found", time),
                Condition("Established", "InitialNamesAccepted", "the initial names have been accepted", time)),
            ["acceptedNames"] = accepted,
            ["storedVersions"] = new JsonArray((string?)storage[0]["name"]),
        };
    }

    private static JsonObject Condition(string type, string reason, string message, string time) => new()
    {
        ["type"] = type,
        ["status"] = "True",
        ["lastTransitionTime"] = time,
        ["reason"] = reason,
        ["message"] = message,
    };

    [GeneratedRegex("^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$")]
    private static partial Regex SubdomainPattern();

    [GeneratedRegex("^[a-z0-9]([-a-z0-9]*[a-z0-9])?$")]
    private static partial Regex LabelPattern();
}
