using System.Text.Json.Nodes;

namespace GitOpsReverser.KubeSim.Validation;

/// <summary>On an update, the old value a new one correlates with (by key in objects and in map lists); null when none does.</summary>
internal sealed record OldValue(JsonNode? Value);
