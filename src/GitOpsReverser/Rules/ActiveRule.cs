using GitOpsReverser.Resources;

namespace GitOpsReverser.Rules;

/// <summary>A rule as it applies to one resource type: its spec, its repository, and whether it reached the type through a <c>*</c> kind.</summary>
internal sealed record ActiveRule(WatchRuleSpec Spec, RepoCapture Capture, bool ThroughWildcard);
