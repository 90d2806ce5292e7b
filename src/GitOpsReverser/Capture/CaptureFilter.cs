using GitOpsReverser.Kube;
using GitOpsReverser.Manifests;
using GitOpsReverser.Specs;

namespace GitOpsReverser.Capture;

/// <summary>
/// Whether a rule that covers an object's namespace captures it: not when its labels do not match the rule's
/// <c>objectSelector</c> or match its <c>excludeLabels</c>, not when a controller owns it and the rule reached its kind through <c>*</c>
/// without <c>includeOwned</c>, and not when the cluster made it for itself (<see cref="ClusterNoise"/>)
/// unless the rule's <c>include</c> names its category. The operator and <c>preview</c> both decide here.
/// </summary>
internal static class CaptureFilter
{
    /// <summary>Why <paramref name="rule"/> leaves <paramref name="obj"/> out, or null when it captures it.</summary>
    public static string? LeftOutBecause(CaptureRule rule, bool throughWildcard, WatchedResource resource, MappingNode obj)
    {
        var metadata = obj.GetMapping("metadata");
        if (rule.ObjectSelector is { IsEmpty: false } only && !only.Matches(metadata?.GetMapping("labels")))
        {
            return "its labels do not match objectSelector";
        }

        if (rule.ExcludeLabels is { IsEmpty: false } exclude && exclude.Matches(metadata?.GetMapping("labels")))
        {
            return "its labels match excludeLabels";
        }

        if (throughWildcard && !rule.IncludeOwned && IsControlled(metadata))
        {
            return "a controller owns it (includeOwned: true captures it through a * kind)";
        }

        if (ClusterNoise.Classify(resource, obj) is { } category && !rule.Include.Contains(category))
        {
            return $"{NoiseCategories.ReasonOf(category)} (include: [{NoiseCategories.NameOf(category)}] captures it)";
        }

        return null;
    }

    private static bool IsControlled(MappingNode? metadata) =>
        metadata?.GetSequence("ownerReferences")?.Items.Any(owner => owner is MappingNode reference && reference["controller"] is ScalarNode { Kind: ScalarKind.Boolean, Text: "true" }) == true;
}
