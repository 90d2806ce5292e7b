namespace GitOpsReverser.Sanitizing;

/// <summary>
/// One value of a Secret as the API server returned it (<c>data</c> values still base64), kept only to be
/// encrypted under <see cref="SecretPolicy.Encrypt"/>. Its text never reaches a log or an unencrypted file.
/// </summary>
internal sealed record SecretValue(string Field, string Key, string Text)
{
    public override string ToString() => $"{Field}.{Key}";
}
