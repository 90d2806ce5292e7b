using GitOpsReverser.KubeSim.Security;

namespace GitOpsReverser.KubeSim.Api;

/// <summary>Who writes and how: the caller, its field manager, field validation, dry run and force.</summary>
internal sealed record WriteContext(UserInfo User, string Manager, string FieldValidation, bool DryRun, bool Force)
{
    /// <summary>Warnings for the response's <c>Warning</c> headers (unknown fields in Warn mode).</summary>
    public List<string> Warnings { get; } = [];

    /// <summary>True when the caller named no field manager (server-side apply requires one).</summary>
    public bool ManagerFromUserAgent { get; init; }
}
