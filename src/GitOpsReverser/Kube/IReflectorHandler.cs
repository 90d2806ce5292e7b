namespace GitOpsReverser.Kube;

/// <summary>Receives a reflector's events, one at a time, in order.</summary>
internal interface IReflectorHandler
{
    ValueTask HandleAsync(ReflectorEvent change, CancellationToken cancellationToken);
}
