namespace GitOpsReverser.Kube;

/// <summary>
/// A reflector handler that keeps nothing and only says that something changed: for kinds whose every change
/// matters but whose objects the operator never reads (Roles, ClusterRoles and their bindings, whose changes
/// make the tenants' access checks be asked again).
/// </summary>
internal sealed class RbacChanges(Action changed) : IReflectorHandler
{
    public ValueTask HandleAsync(ReflectorEvent change, CancellationToken cancellationToken)
    {
        if (change is ReflectorEvent.Upserted or ReflectorEvent.Deleted)
        {
            changed();
        }

        return ValueTask.CompletedTask;
    }
}
