namespace GitOpsReverser.Git;

/// <summary>
/// One change for the repository: the file at <paramref name="Path"/> becomes <paramref name="Content"/>
/// (sanitized YAML), or goes away when it is null. A resync is one queue item holding every change of
/// a <c>[RESYNC]</c> commit in <paramref name="Resync"/>; its path is a key no file can have. So is a takeover,
/// holding in <see cref="Takeover"/> the changes a standby saw, each to be committed unless the old leader did.
/// </summary>
internal sealed record GitChange(string Path, byte[]? Content, ChangeDescription Description, IReadOnlyList<GitChange>? Resync = null)
{
    public bool IsDeletion => Content is null;

    /// <summary>A standby's changes, oldest first: each is committed on its own, unless the branch already has it.</summary>
    public IReadOnlyList<GitChange>? Takeover { get; init; }

    /// <summary>A resync or a takeover: many changes in one queue item, never folded with others.</summary>
    public bool IsGroup => Resync is not null || Takeover is not null;
}
