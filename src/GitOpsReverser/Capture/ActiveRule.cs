using GitOpsReverser.Kube;
using GitOpsReverser.Specs;

namespace GitOpsReverser.Capture;

/// <summary>A rule as it applies to one resource type: its spec, its repository, and whether it reached the type through a <c>*</c> kind.</summary>
internal sealed record ActiveRule(CaptureRule Spec, RepoCapture Capture, WatchedResource Resource, bool ThroughWildcard);
