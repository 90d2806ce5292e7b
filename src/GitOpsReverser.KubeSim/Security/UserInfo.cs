namespace GitOpsReverser.KubeSim.Security;

/// <summary>An authenticated caller, as admission webhooks receive it in <c>userInfo</c>.</summary>
internal sealed record UserInfo(string Username, IReadOnlyList<string> Groups, string Uid)
{
    public bool IsAdmin => Groups.Contains("system:masters");
}
