namespace GitOpsReverser.KubeSim.Security;

/// <summary>An authenticated caller, as admission webhooks receive it in <c>userInfo</c>.</summary>
internal sealed record UserInfo(string Username, IReadOnlyList<string> Groups, string Uid)
{
    public const string ServiceAccountPrefix = "system:serviceaccount:";

    public bool IsAdmin => Groups.Contains("system:masters");

    /// <summary>True for <c>system:serviceaccount:NS:NAME</c>: such callers are authorized by RBAC.</summary>
    public bool IsServiceAccount => Username.StartsWith(ServiceAccountPrefix, StringComparison.Ordinal);

    /// <summary>The identity a ServiceAccount's tokens carry, with the groups the API server gives it.</summary>
    public static UserInfo ForServiceAccount(string ns, string name, string uid) =>
        new($"{ServiceAccountPrefix}{ns}:{name}", ["system:serviceaccounts", $"system:serviceaccounts:{ns}", "system:authenticated"], uid);
}
