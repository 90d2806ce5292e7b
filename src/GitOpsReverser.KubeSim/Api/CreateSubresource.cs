namespace GitOpsReverser.KubeSim.Api;

/// <summary>A subresource that only takes <c>create</c> and answers its own kind: a ServiceAccount's <c>token</c> (TokenRequest).</summary>
internal sealed record CreateSubresource(string Name, string Group, string Version, string Kind);
