namespace GitOpsReverser.Encryption;

/// <summary>
/// An age X25519 recipient: the public key written <c>age1…</c> (Bech32, human-readable part <c>age</c>, 32
/// bytes), as <c>age-keygen</c> prints it. Only public keys are ever read: what they encrypt, the operator cannot read.
/// </summary>
internal sealed record AgeRecipient
{
    private const string HumanReadablePart = "age";

    private AgeRecipient(string text, byte[] publicKey)
    {
        Text = text;
        PublicKey = publicKey;
    }

    /// <summary>The recipient as written, lower case.</summary>
    public string Text { get; }

    /// <summary>The X25519 public key.</summary>
    public byte[] PublicKey { get; }

    public static AgeRecipient Parse(string text) =>
        TryParse(text, out var recipient, out var error) ? recipient : throw new FormatException(error);

    /// <summary>Reads <paramref name="text"/>; <paramref name="error"/> says what is wrong with it otherwise.</summary>
    public static bool TryParse(string text, out AgeRecipient recipient, out string error)
    {
        recipient = null!;
        text = text.Trim();
        if (text.StartsWith("AGE-SECRET-KEY-", StringComparison.OrdinalIgnoreCase))
        {
            error = "is an age identity (a private key); give its public key, the age1… line age-keygen prints as \"public key\"";
            return false;
        }

        if (text.StartsWith("ssh-", StringComparison.Ordinal))
        {
            error = "is an SSH key; only age X25519 recipients (age1…) are supported";
            return false;
        }

        if (!Bech32.TryDecode(text, HumanReadablePart, out var key, out error))
        {
            error = error.Replace("X25519 key", "X25519 public key", StringComparison.Ordinal);
            return false;
        }

        text = text.ToLowerInvariant();
        recipient = new AgeRecipient(text, key);
        error = "";
        return true;
    }

    public bool Equals(AgeRecipient? other) => other is not null && Text == other.Text;

    public override int GetHashCode() => Text.GetHashCode(StringComparison.Ordinal);

    public override string ToString() => Text;
}
