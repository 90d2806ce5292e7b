using GitOpsReverser.Manifests;

namespace GitOpsReverser.Sanitizing;

/// <summary>Decides whether a field's value may be removed; <paramref name="parent"/> holds its siblings.</summary>
internal delegate bool FieldValueMatch(MappingNode parent, ManifestNode value);
