using System.Globalization;
using System.Text.Json.Nodes;
using GitOpsReverser.KubeSim.Storage;

namespace GitOpsReverser.KubeSim.Api;

/// <summary>A column of a Table: what a CRD's <c>additionalPrinterColumns</c> or a built-in printer declares.</summary>
internal sealed record PrinterColumn(string Name, string Type, string Description, int Priority = 0, string Format = "", string? JsonPath = null);

/// <summary>
/// Server-side printing, as the API server answers <c>Accept: application/json;as=Table;v=v1;g=meta.k8s.io</c>
/// (what <c>kubectl get</c> asks for): a CRD's <c>additionalPrinterColumns</c> (an Age column when it
/// has none), the API server's printers for the common built-in kinds, and Name and Created At for the
/// others. Rows carry the object's metadata (<c>includeObject=Metadata</c>, the default), the whole
/// object (<c>Object</c>) or nothing (<c>None</c>).
/// </summary>
internal static partial class Tables
{
    private const string NameDescription = "Name must be unique within a namespace. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/names#names";
    private const string AgeDescription = "CreationTimestamp is a timestamp representing the server time when this object was created.";

    private static readonly PrinterColumn NameColumn = new("Name", "string", NameDescription, Format: "name");
    private static readonly PrinterColumn AgeColumn = new("Age", "string", AgeDescription);

    /// <summary>A CRD version's columns when it declares none.</summary>
    public static IReadOnlyList<PrinterColumn> DefaultCustomColumns { get; } =
        [new("Age", "date", AgeDescription, JsonPath: ".metadata.creationTimestamp")];

    /// <summary>The Table version asked for in <paramref name="accept"/> (<c>v1</c> or <c>v1beta1</c>), or null for a plain response.</summary>
    public static string? RequestedVersion(string accept)
    {
        foreach (var mediaType in accept.Split(','))
        {
            var parameters = mediaType.Split(';').Select(part => part.Trim()).ToList();
            if (parameters[0] is not ("application/json" or "*/*"))
            {
                continue;
            }

            string? Parameter(string name) => parameters.Skip(1).Select(part => part.Split('=', 2))
                .FirstOrDefault(pair => pair.Length == 2 && pair[0] == name)?[1];
            if (Parameter("as") is not { } kind)
            {
                // A plain JSON response is acceptable before any Table.
                return null;
            }

            if (kind == "Table" && Parameter("g") == "meta.k8s.io" && Parameter("v") is "v1" or "v1beta1")
            {
                return Parameter("v");
            }
        }

        return null;
    }

    /// <summary>The Table of <paramref name="objects"/> as <paramref name="type"/> prints them.</summary>
    public static JsonObject Table(ResourceType type, IEnumerable<StoredObject> objects, string version, string includeObject, DateTimeOffset now,
        JsonObject listMetadata, bool withColumns = true)
    {
        var (columns, cells) = PrinterFor(type);
        var rows = new JsonArray();
        foreach (var stored in objects)
        {
            var obj = JsonNode.Parse(ApiResponses.Render(type, stored).Span)!.AsObject();
            var row = new JsonObject { ["cells"] = new JsonArray([(JsonNode?)(string?)obj["metadata"]?["name"], .. cells(obj, now)]) };
            switch (includeObject)
            {
                case "None":
                    break;
                case "Object":
                    row["object"] = obj;
                    break;
                default:
                    var metadata = obj["metadata"]!.DeepClone().AsObject();
                    metadata.Remove("managedFields");
                    row["object"] = new JsonObject
                    {
                        ["kind"] = "PartialObjectMetadata",
                        ["apiVersion"] = $"meta.k8s.io/{version}",
                        ["metadata"] = metadata,
                    };
                    break;
            }

            rows.Add(row);
        }

        var table = new JsonObject { ["kind"] = "Table", ["apiVersion"] = $"meta.k8s.io/{version}", ["metadata"] = listMetadata };
        if (withColumns)
        {
            table["columnDefinitions"] = new JsonArray([.. columns.Select(column => (JsonNode)new JsonObject
            {
                ["name"] = column.Name,
                ["type"] = column.Type,
                ["format"] = column.Format,
                ["description"] = column.Description,
                ["priority"] = column.Priority,
            })]);
        }

        table["rows"] = rows;
        return table;
    }

    /// <summary>The <c>includeObject</c> query parameter, checked as the API server checks it.</summary>
    public static string IncludeObject(string? value) =>
        value switch
        {
            null or "" => "Metadata",
            "None" or "Metadata" or "Object" => value,
            _ => throw ApiException.BadRequest($"includeObject: Unsupported value: \"{value}\": supported values: \"Metadata\", \"None\", \"Object\""),
        };

    private static (IReadOnlyList<PrinterColumn> Columns, Func<JsonObject, DateTimeOffset, JsonNode?[]> Cells) PrinterFor(ResourceType type)
    {
        if (type.IsCustom)
        {
            var custom = type.PrinterColumns ?? DefaultCustomColumns;
            var paths = custom.Select(column => SimpleJsonPath.Parse(column.JsonPath ?? "")).ToList();
            return ([NameColumn, .. custom], (obj, now) => [.. custom.Select((column, i) => CustomCell(column.Type, paths[i].First(obj), now))]);
        }

        if (BuiltIn.TryGetValue(type.GroupResource, out var printer))
        {
            return (printer.Columns, printer.Cells);
        }

        // The API server's default table convertor.
        return ([NameColumn, new("Created At", "date", AgeDescription)],
            (obj, _) => [(string?)obj["metadata"]?["creationTimestamp"]]);
    }

    // As the CRD table convertor converts a JSONPath result for its column type.
    private static JsonNode? CustomCell(string type, JsonNode? value, DateTimeOffset now)
    {
        if (value is null)
        {
            return null;
        }

        var scalar = value as JsonValue;
        switch (type)
        {
            case "string":
                return scalar is not null && scalar.TryGetValue<string>(out var text) ? text : value.ToJsonString();
            case "integer" when scalar is not null && scalar.TryGetValue<double>(out var number):
                return (long)number;
            case "number" when scalar is not null && scalar.TryGetValue<double>(out var number):
                return number;
            case "boolean" when scalar is not null && scalar.TryGetValue<bool>(out var flag):
                return flag;
            case "date" when scalar is not null && scalar.TryGetValue<string>(out var timestamp):
                return DateTimeOffset.TryParse(timestamp, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at)
                    ? HumanDuration(now - at)
                    : "<invalid>";
            default:
                return null;
        }
    }

    /// <summary>Kubernetes' <c>duration.HumanDuration</c>: <c>45s</c>, <c>3m10s</c>, <c>5h12m</c>, <c>12d</c>.</summary>
    public static string HumanDuration(TimeSpan elapsed)
    {
        var seconds = (long)Math.Floor(elapsed.TotalSeconds);
        if (seconds < -1)
        {
            return "<invalid>";
        }

        if (seconds < 0)
        {
            return "0s";
        }

        if (seconds < 120)
        {
            return $"{seconds}s";
        }

        var minutes = seconds / 60;
        if (minutes < 10)
        {
            return seconds % 60 == 0 ? $"{minutes}m" : $"{minutes}m{seconds % 60}s";
        }

        if (minutes < 180)
        {
            return $"{minutes}m";
        }

        var hours = minutes / 60;
        if (hours < 8)
        {
            return minutes % 60 == 0 ? $"{hours}h" : $"{hours}h{minutes % 60}m";
        }

        if (hours < 48)
        {
            return $"{hours}h";
        }

        if (hours < 24 * 8)
        {
            return hours % 24 == 0 ? $"{hours / 24}d" : $"{hours / 24}d{hours % 24}h";
        }

        if (hours < 24 * 365 * 2)
        {
            return $"{hours / 24}d";
        }

        if (hours < 24 * 365 * 8)
        {
            var days = hours / 24 % 365;
            return days == 0 ? $"{hours / 24 / 365}y" : $"{hours / 24 / 365}y{days}d";
        }

        return $"{hours / 24 / 365}y";
    }
}
