using System.Text.Json.Nodes;

namespace GitOpsReverser.Api;

/// <summary>
/// What the operator reports on one of its objects: the Ready condition (<paramref name="Ready"/> null
/// for Unknown), with a reason and a message a person can act on, and the kind's other status fields.
/// </summary>
internal sealed record ObjectStatus(ResourceKey Key, long Generation, bool? Ready, string Reason, string Message, JsonObject Fields);
