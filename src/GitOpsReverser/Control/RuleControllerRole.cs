using GitOpsReverser.Git;

namespace GitOpsReverser.Control;

/// <summary>
/// How a <see cref="RuleController"/> runs: as the leader (it commits and reports; <see cref="Takeover"/> holds what
/// a standby saw before, by capture fingerprint), or as a hot standby (<see cref="Standby"/>: it lists and watches
/// what the leader does, and keeps the changes it sees, bounded, for when it takes over).
/// </summary>
internal sealed record RuleControllerRole(bool Standby, IReadOnlyDictionary<string, IReadOnlyList<GitChange>>? Takeover = null)
{
    public static RuleControllerRole Leader { get; } = new(false);

    public static RuleControllerRole HotStandby { get; } = new(true);
}
