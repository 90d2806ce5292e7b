namespace GitOpsReverser.Git;

/// <summary>
/// One change for the repository: the file at <paramref name="Path"/> becomes <paramref name="Content"/>
/// (sanitized YAML), or goes away when it is null. A resync is one queue item holding every change of
/// a <c>[RESYNC]</c> commit in <paramref name="Resync"/>; its path is a key no file can have.
/// </summary>
internal sealed record GitChange(string Path, byte[]? Content, ChangeDescription Description, IReadOnlyList<GitChange>? Resync = null)
{
    public bool IsDeletion => Content is null;
}
