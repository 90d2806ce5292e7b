namespace GitOpsReverser.Specs;

/// <summary>One entry of a rule's <c>resources</c>: an apiVersion and a kind, either of which may be <c>*</c>.</summary>
internal sealed record RuleResource(string ApiVersion, string Kind)
{
    public bool IsWildcardKind => Kind == "*";

    public override string ToString() => $"{ApiVersion}/{Kind}";
}
