using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using Renci.SshNet;
using Renci.SshNet.Common;
using Renci.SshNet.Security;
using Renci.SshNet.Security.Cryptography;

namespace GitOpsReverser.Git.Clone;

/// <summary>
/// Signs commits as <c>git commit -S</c> does with <c>gpg.format ssh</c>, the format GitHub, GitLab and Gitea show
/// as "Verified": an SSH signature (OpenSSH's PROTOCOL.sshsig: namespace <c>git</c>, SHA-512) over the commit's
/// text, armored, for the commit's <c>gpgsig</c> header. The key is an Ed25519 key in OpenSSH or PKCS#8 form,
/// read by SSH.NET without a passphrase; the key never leaves this object and is never logged.
/// </summary>
internal sealed class SshCommitSigner
{
    private const string KeyType = "ssh-ed25519";
    private const string Namespace = "git";
    private const string HashAlgorithm = "sha512";
    private static readonly byte[] Magic = "SSHSIG"u8.ToArray();

    private readonly ED25519DigitalSignature signer;
    private readonly byte[] publicKeyBlob;

    private SshCommitSigner(ED25519Key key, string comment)
    {
        signer = new ED25519DigitalSignature(key);
        publicKeyBlob = Concat(SshString(KeyType), SshString(key.PublicKey));
        PublicKey = $"{KeyType} {Convert.ToBase64String(publicKeyBlob)} {comment}";
    }

    /// <summary>The public half in <c>authorized_keys</c> form, to register as a signing key or in an allowed-signers file.</summary>
    public string PublicKey { get; }

    /// <summary>
    /// Reads <paramref name="privateKey"/>; returns null and says why (never repeating the key) when it is not an
    /// unencrypted Ed25519 key.
    /// </summary>
    public static SshCommitSigner? TryLoad(string privateKey, string comment, out string? problem)
    {
        problem = null;
        try
        {
            using var stream = new MemoryStream(Encoding.UTF8.GetBytes(privateKey));
            var file = new PrivateKeyFile(stream);
            if (file.Key is ED25519Key ed25519)
            {
                return new SshCommitSigner(ed25519, comment);
            }

            problem = $"is a {file.Key} key; signing takes an Ed25519 key (ssh-keygen -t ed25519)";
        }
        catch (SshPassPhraseNullOrEmptyException)
        {
            problem = "has a passphrase; signing takes a key without one (the Secret is what protects it)";
        }
        catch (Exception exception) when (exception is SshException or ArgumentException or FormatException or InvalidOperationException
            or NotSupportedException or CryptographicException or IndexOutOfRangeException or EndOfStreamException)
        {
            problem = "is not a private key in OpenSSH or PKCS#8 form";
        }

        return null;
    }

    /// <summary>The armored SSH signature of <paramref name="commitContent"/> (the commit object's text, without a signature).</summary>
    public string Sign(string commitContent)
    {
        var digest = SHA512.HashData(Encoding.UTF8.GetBytes(commitContent));
        var signed = Concat(Magic, SshString(Namespace), SshString(""), SshString(HashAlgorithm), SshString(digest));
        var signature = Concat(SshString(KeyType), SshString(signer.Sign(signed)));
        var version = new byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(version, 1);
        var blob = Concat(Magic, version, SshString(publicKeyBlob), SshString(Namespace), SshString(""), SshString(HashAlgorithm), SshString(signature));

        // ssh-keygen -Y sign wraps at 70 columns.
        var armored = new StringBuilder("-----BEGIN SSH SIGNATURE-----\n");
        var text = Convert.ToBase64String(blob);
        for (var i = 0; i < text.Length; i += 70)
        {
            armored.Append(text, i, Math.Min(70, text.Length - i)).Append('\n');
        }

        return armored.Append("-----END SSH SIGNATURE-----\n").ToString();
    }

    private static byte[] SshString(string text) => SshString(Encoding.UTF8.GetBytes(text));

    private static byte[] SshString(byte[] bytes)
    {
        var result = new byte[4 + bytes.Length];
        BinaryPrimitives.WriteUInt32BigEndian(result, (uint)bytes.Length);
        bytes.CopyTo(result, 4);
        return result;
    }

    private static byte[] Concat(params byte[][] parts)
    {
        var result = new byte[parts.Sum(part => part.Length)];
        var offset = 0;
        foreach (var part in parts)
        {
            part.CopyTo(result, offset);
            offset += part.Length;
        }

        return result;
    }
}
