namespace GitOpsReverser.Manifests;

/// <summary>
/// One object found in an input, or the reason a document is not one. <see cref="Location"/> says where it
/// came from in words a user can find it by, such as "document 2" or "document 1, item 3".
/// </summary>
internal sealed record ManifestObject(string Location, MappingNode? Manifest, ObjectIdentity Identity, string? Error)
{
    public bool IsValid => Error is null;
}
