namespace GitOpsReverser.KubeSim.Security;

/// <summary>
/// Decides every request: <c>system:masters</c> may do anything; ServiceAccounts get what RBAC grants
/// them; users of the users file may do anything its deny rules do not forbid (resource requests only).
/// </summary>
internal sealed class Authorizer(Authenticator authenticator, RbacAuthorizer rbac)
{
    /// <summary>Whether the request is allowed, and why (RBAC's reason; empty otherwise).</summary>
    public (bool Allowed, string Reason) Authorize(UserInfo user, RequestAttributes request)
    {
        if (user.IsAdmin)
        {
            return (true, "");
        }

        if (user.IsServiceAccount)
        {
            return rbac.Authorize(user, request);
        }

        var denied = request.IsResourceRequest && authenticator.IsDenied(user, request.Verb, request.Resource, request.Namespace);
        return (!denied, "");
    }
}
