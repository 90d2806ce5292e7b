namespace GitOpsReverser.Git;

internal enum ChangeOperation
{
    Create,
    Update,
    Delete,
}
