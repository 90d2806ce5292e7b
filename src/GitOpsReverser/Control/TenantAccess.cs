using GitOpsReverser.Kube;
using GitOpsReverser.Specs;

namespace GitOpsReverser.Control;

/// <summary>
/// The tenancy model. The operator may read far more than any tenant: a GitRepoConfig outside the operator's
/// namespace is a tenant's, so everything it makes the operator read (its <c>secretRef</c>, its
/// <c>recipientsRef</c>, and every kind, in every namespace, that rules capture into it) is read only when the
/// GitRepoConfig's identity may read it itself: the service account <c>spec.serviceAccountName</c> of its
/// namespace (default <see cref="OperatorOptions.DefaultServiceAccount"/>), asked of RBAC by
/// <see cref="AccessReviews"/> before use and again whenever RBAC changes. The operator's own namespace is the
/// administrators': nothing there is checked. With <paramref name="reviews"/> null (the checks turned off)
/// every GitRepoConfig is trusted as an administrator's.
/// </summary>
internal sealed class TenantAccess(IAccessReview? reviews, string operatorNamespace, string defaultServiceAccount)
{
    private static readonly string[] ListAndWatch = ["list", "watch"];

    /// <summary>True when <paramref name="repo"/> is a tenant's and the operator checks what it reads for it.</summary>
    public bool Checks(RepoSpec repo) => reviews is not null && repo.Id.Namespace is { } ns && ns != operatorNamespace;

    /// <summary>The service account <paramref name="repo"/> acts as: <c>namespace/name</c>.</summary>
    public string IdentityOf(RepoSpec repo) => $"{repo.Id.Namespace}/{repo.ServiceAccountName ?? defaultServiceAccount}";

    /// <summary>
    /// Throws <see cref="SpecException"/> (<c>AccessDenied</c>) unless the identity of <paramref name="repo"/> may get
    /// the <paramref name="resource"/> (<c>secrets</c>, <c>configmaps</c>) <paramref name="name"/> that its
    /// <paramref name="field"/> names.
    /// </summary>
    public async Task RequireGetAsync(RepoSpec repo, string resource, string name, string field, CancellationToken cancellationToken)
    {
        if (!Checks(repo))
        {
            return;
        }

        var request = Request(repo, "get", "", resource, repo.Id.Namespace, name);
        var decision = await reviews!.ReviewAsync(request, cancellationToken);
        if (!decision.Allowed)
        {
            throw new SpecException("AccessDenied",
                $"{field} names {resource} \"{name}\", which the operator reads only for an identity of namespace {repo.Id.Namespace} that may: " +
                $"service account {IdentityOf(repo)} may not {request} ({Advice(decision)})");
        }
    }

    /// <summary>
    /// Null when the identity of <paramref name="repo"/> may list and watch <paramref name="resource"/> in each of
    /// <paramref name="namespaces"/> (null: every namespace, or a cluster-scoped resource); otherwise the permission
    /// it lacks, in words.
    /// </summary>
    public async Task<string?> MissingAsync(RepoSpec repo, WatchedResource resource, IReadOnlyCollection<string>? namespaces, CancellationToken cancellationToken)
    {
        if (!Checks(repo))
        {
            return null;
        }

        // Allowed everywhere answers for every namespace at once; otherwise each namespace is asked.
        var everywhere = await MissingInAsync(repo, resource, null, cancellationToken);
        if (everywhere is null || !resource.Namespaced || namespaces is null)
        {
            return everywhere;
        }

        foreach (var ns in namespaces.Order(StringComparer.Ordinal))
        {
            if (await MissingInAsync(repo, resource, ns, cancellationToken) is { } missing)
            {
                return missing;
            }
        }

        return null;
    }

    private async Task<string?> MissingInAsync(RepoSpec repo, WatchedResource resource, string? ns, CancellationToken cancellationToken)
    {
        foreach (var verb in ListAndWatch)
        {
            var request = Request(repo, verb, resource.Group, resource.Plural, resource.Namespaced ? ns : null, null);
            var decision = await reviews!.ReviewAsync(request, cancellationToken);
            if (!decision.Allowed)
            {
                return $"service account {IdentityOf(repo)} may not {request}";
            }
        }

        return null;
    }

    private AccessRequest Request(RepoSpec repo, string verb, string group, string resource, string? ns, string? name) =>
        new(repo.Id.Namespace!, repo.ServiceAccountName ?? defaultServiceAccount, verb, group, resource, ns, name);

    private static string Advice(AccessDecision decision) =>
        decision.Reason.StartsWith("the operator may not", StringComparison.Ordinal)
            ? decision.Reason
            : "grant it to that service account with a Role and RoleBinding, or set spec.serviceAccountName to one that has it";
}
