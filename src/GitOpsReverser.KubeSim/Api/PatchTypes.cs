namespace GitOpsReverser.KubeSim.Api;

/// <summary>The PATCH content types the API server accepts.</summary>
internal static class PatchTypes
{
    public const string Json = "application/json-patch+json";
    public const string Merge = "application/merge-patch+json";
    public const string Strategic = "application/strategic-merge-patch+json";
    public const string Apply = "application/apply-patch+yaml";

    /// <summary>Custom resources have no Go types to carry patch strategies: no strategic merge for them.</summary>
    public static IReadOnlyList<string> For(ResourceType type) =>
        type.IsCustom ? [Json, Merge, Apply] : [Json, Merge, Strategic, Apply];
}
