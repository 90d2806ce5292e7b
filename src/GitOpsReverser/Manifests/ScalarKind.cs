namespace GitOpsReverser.Manifests;

internal enum ScalarKind
{
    String,
    Integer,
    Float,
    Boolean,
    Null,
}
