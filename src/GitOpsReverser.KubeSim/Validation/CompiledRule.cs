using Cel;

namespace GitOpsReverser.KubeSim.Validation;

/// <summary>A rule as compiled: its program, or the compile error; whether it is a transition rule (uses oldSelf).</summary>
internal sealed record CompiledRule(string Rule, CelProgramDelegate? Program, string? Error, bool UsesOldSelf);
