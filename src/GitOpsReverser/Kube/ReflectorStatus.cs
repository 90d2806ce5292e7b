namespace GitOpsReverser.Kube;

/// <summary>A reflector's state, for rule status conditions and metrics.</summary>
/// <param name="Synced">True once a full list has been reported (and after every relist).</param>
/// <param name="LastError">The last failure, until a list or watch succeeds again.</param>
/// <param name="Forbidden">True while the API server answers 403: the operator may not list or watch this resource.</param>
/// <param name="Relists">Full lists after the first one (410 Gone).</param>
/// <param name="WatchRestarts">Watches started again after a dropped, silent or failed stream.</param>
internal sealed record ReflectorStatus(bool Synced, string? LastError, bool Forbidden, int Relists, int WatchRestarts);
