using GitOpsReverser.KubeSim.Api;

namespace GitOpsReverser.KubeSim.Storage;

/// <summary>
/// A parsed <c>fieldSelector</c> on <c>metadata.name</c> and <c>metadata.namespace</c>
/// (<c>=</c>, <c>==</c>, <c>!=</c>), the fields every resource supports. Other field labels
/// are refused with 400, as a real server refuses labels a resource does not index.
/// </summary>
internal sealed class FieldSelector
{
    private readonly List<(string Field, bool Equal, string Value)> terms;

    private FieldSelector(List<(string Field, bool Equal, string Value)> terms) => this.terms = terms;

    public static FieldSelector? Parse(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        var terms = new List<(string, bool, string)>();
        foreach (var part in text.Split(',', StringSplitOptions.TrimEntries))
        {
            var (field, equal, value) = Split(part);
            if (field is not ("metadata.name" or "metadata.namespace"))
            {
                throw ApiException.BadRequest($"field label not supported: {field}");
            }

            terms.Add((field, equal, value));
        }

        return new FieldSelector(terms);
    }

    public bool Matches(StoredObject stored)
    {
        foreach (var (field, equal, value) in terms)
        {
            var actual = field == "metadata.name" ? stored.Name : stored.Namespace;
            if ((actual == value) != equal)
            {
                return false;
            }
        }

        return true;
    }

    private static (string Field, bool Equal, string Value) Split(string part)
    {
        foreach (var (token, equal) in new[] { ("!=", false), ("==", true), ("=", true) })
        {
            var index = part.IndexOf(token, StringComparison.Ordinal);
            if (index > 0)
            {
                return (part[..index].Trim(), equal, part[(index + token.Length)..].Trim());
            }
        }

        throw ApiException.BadRequest($"invalid selector: '{part}'; can't understand '{part}'");
    }
}
