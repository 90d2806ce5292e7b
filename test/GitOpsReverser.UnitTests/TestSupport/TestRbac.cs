using GitOpsReverser.Kube;

namespace GitOpsReverser.UnitTests.TestSupport;

/// <summary>
/// RBAC as a test states it, answering access reviews without a cluster: <see cref="Allow"/> grants a service
/// account a verb on a resource in a namespace (null: everywhere), for one name or all; everything else is denied.
/// </summary>
internal sealed class TestRbac : IAccessReview
{
    private readonly List<(string Account, string Verb, string Resource, string? Namespace, string? Name)> grants = [];

    public List<AccessRequest> Asked { get; } = [];

    public TestRbac Allow(string account, string verb, string resource, string? ns = null, string? name = null)
    {
        grants.Add((account, verb, resource, ns, name));
        return this;
    }

    public Task<AccessDecision> ReviewAsync(AccessRequest request, CancellationToken cancellationToken)
    {
        Asked.Add(request);
        var allowed = grants.Any(grant => grant.Account == $"{request.Namespace}/{request.ServiceAccount}" && grant.Verb == request.Verb
            && grant.Resource == (request.Group.Length == 0 ? request.Resource : $"{request.Resource}.{request.Group}")
            && (grant.Namespace is null || grant.Namespace == request.TargetNamespace)
            && (grant.Name is null || grant.Name == request.Name));
        return Task.FromResult(new AccessDecision(allowed, allowed ? "allowed by the test" : ""));
    }
}
