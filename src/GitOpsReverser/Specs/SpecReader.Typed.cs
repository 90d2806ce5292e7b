using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization.Metadata;
using GitOpsReverser.Api.V1Alpha1;

namespace GitOpsReverser.Specs;

/// <summary>
/// Objects into their types. A value of the wrong type is this object's InvalidSpec, named by its field, never a
/// failure of the reconcile of every other object; only an enum's value is repeated (it cannot be a secret), when short;
/// the console log escapes any control character in it.
/// </summary>
internal static partial class SpecReader
{
    private static T Typed<T>(JsonObject obj)
    {
        try
        {
            return obj.Deserialize<T>(ApiGroup.JsonOptions)!;
        }
        catch (JsonException exception) when (exception.Path is { } path)
        {
            throw Invalid(WrongType(typeof(T), obj, path));
        }
    }

    /// <summary>"push.maxCommits must be a whole number", from the exception's path <c>$.spec.push.maxCommits</c> and the field's type.</summary>
    private static string WrongType(Type root, JsonObject obj, string path)
    {
        var segments = System.Text.RegularExpressions.Regex.Matches(path, @"\.(\w+)|\[(\d+)\]").Select(match => match.Groups[1].Success ? match.Groups[1].Value : match.Groups[2].Value).ToList();
        var type = root;
        JsonNode? node = obj;
        System.ComponentModel.DataAnnotations.RangeAttribute? range = null;
        foreach (var segment in segments)
        {
            var element = ElementType(type);
            if (int.TryParse(segment, out var index))
            {
                type = element ?? typeof(object);
                node = node is JsonArray array && index < array.Count ? array[index] : null;
            }
            else
            {
                var property = ApiGroup.JsonOptions.GetTypeInfo(type).Properties.FirstOrDefault(candidate => candidate.Name == segment);
                type = property?.PropertyType ?? typeof(object);
                range = property?.AttributeProvider?.GetCustomAttributes(typeof(System.ComponentModel.DataAnnotations.RangeAttribute), true).OfType<System.ComponentModel.DataAnnotations.RangeAttribute>().FirstOrDefault();
                node = node is JsonObject parent ? parent[segment] : null;
            }
        }

        var field = string.Join("", segments.Skip(1).Select((segment, i) => int.TryParse(segment, out _) ? $"[{segment}]" : (i == 0 ? segment : "." + segment)));
        type = Nullable.GetUnderlyingType(type) ?? type;
        if (type.IsEnum)
        {
            var names = Enum.GetValues(type).Cast<object>().Select(value => JsonSerializer.SerializeToNode(value, type, ApiGroup.JsonOptions)!.GetValue<string>());
            var shown = node is JsonValue value && value.GetValueKind() == JsonValueKind.String && value.GetValue<string>() is { Length: <= 80 } text ? $": \"{text}\"" : "";
            return $"{field}{shown} is not one of {string.Join(", ", names)}";
        }

        return $"{field} must be " + (type == typeof(string) ? "a string"
            : type == typeof(bool) ? "true or false"
            : type == typeof(int) || type == typeof(long) ? "a whole number" + (range is null ? "" : $" from {range.Minimum} to {range.Maximum}")
            : ElementType(type) is not null ? "a list"
            : ApiGroup.JsonOptions.GetTypeInfo(type).Kind == JsonTypeInfoKind.Dictionary ? "a map of strings"
            : "an object");
    }

    private static Type? ElementType(Type type) =>
        type.IsGenericType && type.GetGenericTypeDefinition() == typeof(List<>) ? type.GetGenericArguments()[0] : null;
}
