using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using GitOpsReverser.KubeSim.Validation;

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

    private const string Rfc1035Message =
        "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an " +
        "alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')";

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
    public static List<FieldError> ValidateName(ResourceType type, string? name)
    {
        var causes = new List<FieldError>();
        if (string.IsNullOrEmpty(name))
        {
            causes.Add(FieldError.Required("metadata.name", "name or generateName is required"));
        }
        else if (NameProblem(type.NameRule, name) is { } problem)
        {
            causes.Add(FieldError.Invalid("metadata.name", name, problem));
        }

        return causes;
    }

    private static string? NameProblem(NameRule rule, string name) => rule switch
    {
        NameRule.Label => name.Length > 63 || !LabelPattern().IsMatch(name) ? LabelMessage : null,
        NameRule.Rfc1035Label => name.Length > 63 || !Rfc1035Pattern().IsMatch(name) ? Rfc1035Message : null,
        // RBAC objects need only a valid path segment: "system:discovery" is a fine ClusterRole name.
        NameRule.PathSegment => name switch
        {
            "." => "may not be '.'",
            ".." => "may not be '..'",
            _ when name.Contains('/', StringComparison.Ordinal) => "may not contain '/'",
            _ when name.Contains('%', StringComparison.Ordinal) => "may not contain '%'",
            _ => null,
        },
        _ => name.Length > 253 ? "must be no more than 253 characters" : !SubdomainPattern().IsMatch(name) ? SubdomainMessage : null,
    };

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

    /// <summary>The most bytes all of an object's annotation keys and values may take together (256 KiB).</summary>
    public const int TotalAnnotationSizeLimit = 256 * 1024;

    /// <summary>What ObjectMeta validation refuses beyond the name: annotations over 256 KiB in total.</summary>
    public static void ValidateMetadata(ResourceType type, JsonObject obj)
    {
        if (obj["metadata"]?["annotations"] is not JsonObject annotations)
        {
            return;
        }

        var size = annotations.Sum(pair => Encoding.UTF8.GetByteCount(pair.Key) + Encoding.UTF8.GetByteCount((string?)pair.Value ?? ""));
        if (size > TotalAnnotationSizeLimit)
        {
            throw ApiException.Invalid(type, (string?)obj["metadata"]?["name"] ?? "",
                [FieldError.TooLong("metadata.annotations", TotalAnnotationSizeLimit)]);
        }
    }

    /// <summary>Secret <c>data</c> values are bytes, sent as base64: anything else fails decoding, as it does in the API server.</summary>
    public static void CheckSecretData(JsonObject secret)
    {
        foreach (var (_, value) in secret["data"] as JsonObject ?? [])
        {
            var text = value is JsonValue scalar && scalar.TryGetValue<string>(out var s) ? s : null;
            if (text is null)
            {
                throw ApiException.BadRequest("Secret in version \"v1\" cannot be handled as a Secret: json: cannot unmarshal data values into []byte");
            }

            if (IllegalBase64At(text) is { } offset)
            {
                throw ApiException.BadRequest($"Secret in version \"v1\" cannot be handled as a Secret: illegal base64 data at input byte {offset}");
            }
        }
    }

    // Go's base64.StdEncoding: the offset of the first character that cannot be there (line breaks are skipped).
    private static int? IllegalBase64At(string text)
    {
        var stripped = new StringBuilder();
        var offsets = new List<int>();
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] is '\r' or '\n')
            {
                continue;
            }

            stripped.Append(text[i]);
            offsets.Add(i);
        }

        var data = stripped.ToString();
        var padding = data.Length - data.TrimEnd('=').Length;
        for (var i = 0; i < data.Length; i++)
        {
            var c = data[i];
            var alphabet = c is (>= 'A' and <= 'Z') or (>= 'a' and <= 'z') or (>= '0' and <= '9') or '+' or '/';
            if (!alphabet && !(c == '=' && i >= data.Length - padding && padding <= 2))
            {
                return offsets[i];
            }
        }

        return data.Length % 4 == 0 ? null : offsets.Count > 0 ? offsets[^1] - (data.Length % 4) + 1 : 0;
    }

    /// <summary>
    /// Checks a CRD's names and versions; sets the conditions its controller would set at once. With the CRD's
    /// <paramref name="oldStatus"/>, conditions that hold still keep their transition times and stored versions
    /// accumulate, so applying an unchanged CRD changes nothing.
    /// </summary>
    public static void AcceptCustomResourceDefinition(ResourceType crdType, JsonObject crd, DateTimeOffset now, JsonObject? oldStatus = null)
    {
        var name = (string?)crd["metadata"]?["name"] ?? "";
        var spec = crd["spec"] as JsonObject;
        var names = spec?["names"] as JsonObject;
        var group = (string?)spec?["group"] ?? "";
        var plural = (string?)names?["plural"] ?? "";
        var kind = (string?)names?["kind"] ?? "";
        var versions = spec?["versions"] as JsonArray ?? [];
        var causes = new List<FieldError>();
        if (group.Length == 0)
        {
            causes.Add(FieldError.Required("spec.group"));
        }

        if (plural.Length == 0)
        {
            causes.Add(FieldError.Required("spec.names.plural"));
        }

        if (kind.Length == 0)
        {
            causes.Add(FieldError.Required("spec.names.kind"));
        }

        if (name != $"{plural}.{group}")
        {
            causes.Add(FieldError.Invalid("metadata.name", name, "must be spec.names.plural+\".\"+spec.group"));
        }

        var scope = (string?)spec?["scope"];
        if (scope is not ("Namespaced" or "Cluster"))
        {
            causes.Add(FieldError.NotSupported("spec.scope", scope ?? "", ["Cluster", "Namespaced"]));
        }

        var storage = versions.OfType<JsonObject>().Where(version => version["storage"]?.GetValue<bool>() == true).ToList();
        if (versions.Count == 0)
        {
            causes.Add(FieldError.Invalid("spec.versions", new GoLiteral("null"), "must have exactly one version marked as storage version"));
        }
        else if (storage.Count != 1)
        {
            causes.Add(FieldError.Invalid("spec.versions", new GoLiteral(versions.ToJsonString()), "must have exactly one version marked as storage version"));
        }

        causes.AddRange(CrdSchemas.Validate(versions));
        if (causes.Count > 0)
        {
            throw ApiException.Invalid(crdType, name, causes);
        }

        var accepted = names!.DeepClone().AsObject();
        accepted["singular"] ??= kind.ToLowerInvariant();
        accepted["listKind"] ??= kind + "List";
        var time = Timestamp(now);
        var oldConditions = (oldStatus?["conditions"] as JsonArray ?? []).OfType<JsonObject>().ToList();
        string TimeOf(string conditionType) =>
            oldConditions.FirstOrDefault(condition => (string?)condition["type"] == conditionType && (string?)condition["status"] == "True")?["lastTransitionTime"]
                ?.GetValue<string>() ?? time;
        var storedVersions = (oldStatus?["storedVersions"] as JsonArray ?? []).Select(version => (string?)version).ToList();
        if (!storedVersions.Contains((string?)storage[0]["name"]))
        {
            storedVersions.Add((string?)storage[0]["name"]);
        }

        crd["status"] = new JsonObject
        {
            ["conditions"] = new JsonArray(
                Condition("NamesAccepted", "NoConflicts", "no conflicts found", TimeOf("NamesAccepted")),
                Condition("Established", "InitialNamesAccepted", "the initial names have been accepted", TimeOf("Established"))),
            ["acceptedNames"] = accepted,
            ["storedVersions"] = new JsonArray([.. storedVersions.Select(version => (JsonNode?)version)]),
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

    [GeneratedRegex("^[a-z]([-a-z0-9]*[a-z0-9])?$")]
    private static partial Regex Rfc1035Pattern();
}
