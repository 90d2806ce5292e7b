using GitOpsReverser.Api.V1Alpha1;

namespace GitOpsReverser.Specs;

/// <summary>
/// What the operator reports on one of its objects: the Ready condition (<paramref name="Ready"/> null
/// for Unknown), with a reason and a message a person can act on, and the kind's other status fields (its typed status,
/// whose generation and conditions the <see cref="StatusWriter"/> fills in).
/// </summary>
internal sealed record ObjectStatus(ResourceKey Key, long Generation, bool? Ready, string Reason, string Message, IReportedStatus Fields);
