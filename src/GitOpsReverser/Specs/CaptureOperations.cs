namespace GitOpsReverser.Specs;

/// <summary>Which changes a rule commits (its <c>operations</c> field).</summary>
[Flags]
internal enum CaptureOperations
{
    None = 0,
    Create = 1,
    Update = 2,
    Delete = 4,
    All = Create | Update | Delete,
}
