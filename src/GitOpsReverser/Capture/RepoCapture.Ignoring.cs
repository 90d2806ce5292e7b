using System.Collections.Concurrent;
using GitOpsReverser.Manifests;
using GitOpsReverser.Specs;

namespace GitOpsReverser.Capture;

/// <summary>A rule's <c>ignoreFields</c> (else the GitRepoConfig's), applied before sanitizing, and which entries matched.</summary>
internal sealed partial class RepoCapture
{
    // Per rule and ignore list: how many objects each entry removed something from, since that list was first used.
    private readonly ConcurrentDictionary<(ResourceKey Rule, string List), long[]> ignoreMatches = new();

    /// <summary>The GitRepoConfig's <c>ignoreFields</c>, for rules that set none; kept current by its reconciler.</summary>
    public IReadOnlyList<IgnoredFields> DefaultIgnoreFields { get; set; } = [];

    /// <summary>What <paramref name="rule"/> leaves out of every object: its own <c>ignoreFields</c>, else the GitRepoConfig's.</summary>
    public IReadOnlyList<IgnoredFields> IgnoreFieldsFor(CaptureRule rule) => rule.IgnoreFields ?? DefaultIgnoreFields;

    /// <summary>The entries of <paramref name="rule"/>'s ignore list that have matched no object yet.</summary>
    public IReadOnlyList<string> UnmatchedIgnoreFields(CaptureRule rule)
    {
        var entries = IgnoreFieldsFor(rule);
        var matches = Matches(rule, entries);
        return [.. entries.Where((_, index) => Interlocked.Read(ref matches[index]) == 0).Select(entry => entry.ToString())];
    }

    // Removes the ignored fields from the copy about to be sanitized; true when something was removed.
    private bool Ignore(MappingNode copy, CaptureRule rule)
    {
        var entries = IgnoreFieldsFor(rule);
        return entries.Count > 0 && FieldIgnoring.Apply(copy, entries, Matches(rule, entries));
    }

    private long[] Matches(CaptureRule rule, IReadOnlyList<IgnoredFields> entries) =>
        ignoreMatches.GetOrAdd((rule.Id, string.Join('|', entries)), _ => new long[entries.Count]);
}
