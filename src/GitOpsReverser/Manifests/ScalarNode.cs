namespace GitOpsReverser.Manifests;

/// <summary>
/// An immutable scalar. <see cref="Text"/> is canonical for its kind: integers in decimal, floats in
/// shortest round-trip form, booleans as <c>true</c>/<c>false</c>, null as <c>null</c>.
/// </summary>
internal sealed class ScalarNode : ManifestNode
{
    public static readonly ScalarNode Null = new(ScalarKind.Null, "null");
    public static readonly ScalarNode True = new(ScalarKind.Boolean, "true");
    public static readonly ScalarNode False = new(ScalarKind.Boolean, "false");

    private ScalarNode(ScalarKind kind, string text)
    {
        Kind = kind;
        Text = text;
    }

    public ScalarKind Kind { get; }

    public string Text { get; }

    public static ScalarNode String(string value) => new(ScalarKind.String, value);

    public static ScalarNode Boolean(bool value) => value ? True : False;

    /// <summary>Creates a number from its canonical text (see <see cref="ScalarResolver.CanonicalJsonNumber"/>).</summary>
    public static ScalarNode Number(ScalarKind kind, string canonicalText) => new(kind, canonicalText);

    public bool IsString(string value) => Kind == ScalarKind.String && Text == value;

    // Scalars are immutable, so a clone can share the instance.
    public override ManifestNode DeepClone() => this;

    public override bool DeepEquals(ManifestNode? other) =>
        other is ScalarNode scalar && scalar.Kind == Kind && scalar.Text == Text;

    public override string ToString() => Kind == ScalarKind.String ? $"\"{Text}\"" : Text;
}
