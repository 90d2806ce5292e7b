namespace GitOpsReverser.Git;

/// <summary>
/// One change for the repository: the file at <paramref name="Path"/> becomes <paramref name="Content"/>
/// (sanitized YAML), or goes away when it is null.
/// </summary>
internal sealed record GitChange(string Path, byte[]? Content, ChangeDescription Description)
{
    public bool IsDeletion => Content is null;
}
