using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using GitOpsReverser.Manifests;
using GitOpsReverser.Sanitizing;
using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.Crypto.Engines;
using Org.BouncyCastle.Crypto.Modes;
using Org.BouncyCastle.Crypto.Parameters;

namespace GitOpsReverser.Encryption;

/// <summary>
/// Reads back what <see cref="SopsEncryptor"/> writes (and <c>sops --encrypt --age</c> with it): the data key from
/// the first age stanza an identity opens, every <c>ENC[AES256_GCM,…]</c> value with its path as additional data,
/// and the MAC over the decrypted values, so that an altered file is refused rather than restored.
/// </summary>
internal static partial class SopsDecryptor
{
    /// <summary>
    /// Decrypts <paramref name="manifest"/> in place and removes its <c>sops</c> block. Throws
    /// <see cref="CryptographicException"/> when no identity opens it, or a value or the MAC does not authenticate.
    /// </summary>
    public static void Decrypt(MappingNode manifest, IReadOnlyList<AgeIdentity> identities)
    {
        var sops = manifest.GetMapping("sops") ?? throw new CryptographicException("the file has no sops block");
        byte[]? dataKey = null;
        foreach (var stanza in sops.GetSequence("age")?.Items.OfType<MappingNode>() ?? [])
        {
            try
            {
                dataKey = AgeFile.Decrypt(Encoding.ASCII.GetBytes(stanza.GetString("enc") ?? ""), identities);
                break;
            }
            catch (CryptographicException)
            {
            }
        }

        if (dataKey is not { Length: 32 })
        {
            throw new CryptographicException("no identity given opens any of the file's age stanzas (recipients: " +
                string.Join(", ", sops.GetSequence("age")?.Items.OfType<MappingNode>().Select(entry => entry.GetString("recipient")) ?? []) + ")");
        }

        try
        {
            manifest.Remove("sops");
            DecryptValues(manifest, [], dataKey);
            using var mac = IncrementalHash.CreateHash(HashAlgorithmName.SHA512);
            foreach (var (_, value) in CanonicalYaml.Leaves(manifest))
            {
                mac.AppendData(Encoding.UTF8.GetBytes(SopsEncryptor.MacText(value)));
            }

            var lastModified = sops.GetString("lastmodified") ?? "";
            var expected = Decrypt(sops.GetString("mac") ?? "", lastModified, dataKey, "the MAC");
            if (!string.Equals(expected.Text, Convert.ToHexString(mac.GetHashAndReset()), StringComparison.OrdinalIgnoreCase))
            {
                throw new CryptographicException("the file's MAC does not match its values: it was altered");
            }
        }
        finally
        {
            CryptographicOperations.ZeroMemory(dataKey);
        }
    }

    private static void DecryptValues(ManifestNode node, string[] path, byte[] dataKey)
    {
        switch (node)
        {
            case MappingNode mapping:
                foreach (var (key, value) in mapping.Entries.ToArray())
                {
                    if (value is ScalarNode { Kind: ScalarKind.String } scalar && scalar.Text.StartsWith("ENC[", StringComparison.Ordinal))
                    {
                        mapping[key] = Decrypt(scalar.Text, string.Join(':', [.. path, key]) + ":", dataKey, $"the value at {string.Join(':', [.. path, key])}");
                    }
                    else
                    {
                        DecryptValues(value, [.. path, key], dataKey);
                    }
                }

                break;
            case SequenceNode sequence:
                for (var i = 0; i < sequence.Items.Count; i++)
                {
                    if (sequence.Items[i] is ScalarNode { Kind: ScalarKind.String } scalar && scalar.Text.StartsWith("ENC[", StringComparison.Ordinal))
                    {
                        sequence.Items[i] = Decrypt(scalar.Text, string.Join(':', path) + ":", dataKey, $"a value in {string.Join(':', path)}");
                    }
                    else
                    {
                        DecryptValues(sequence.Items[i], path, dataKey);
                    }
                }

                break;
        }
    }

    private static ScalarNode Decrypt(string value, string additionalData, byte[] dataKey, string what)
    {
        var match = EncryptedValue().Match(value);
        if (!match.Success)
        {
            throw new CryptographicException($"{what} is not a SOPS AES256_GCM value");
        }

        try
        {
            var data = Convert.FromBase64String(match.Groups["data"].Value);
            var iv = Convert.FromBase64String(match.Groups["iv"].Value);
            var tag = Convert.FromBase64String(match.Groups["tag"].Value);
            var cipher = new GcmBlockCipher(new AesEngine());
            cipher.Init(false, new AeadParameters(new KeyParameter(dataKey), 128, iv, Encoding.UTF8.GetBytes(additionalData)));
            var input = (byte[])[.. data, .. tag];
            var output = new byte[cipher.GetOutputSize(input.Length)];
            var written = cipher.ProcessBytes(input, 0, input.Length, output, 0);
            written += cipher.DoFinal(output, written);
            var text = Encoding.UTF8.GetString(output, 0, written);
            return match.Groups["type"].Value switch
            {
                "int" => ScalarNode.Number(ScalarKind.Integer, text),
                "float" => ScalarNode.Number(ScalarKind.Float, text),
                "bool" => ScalarNode.Boolean(string.Equals(text, "True", StringComparison.OrdinalIgnoreCase)),
                _ => ScalarNode.String(text),
            };
        }
        catch (Exception exception) when (exception is InvalidCipherTextException or FormatException or ArgumentException)
        {
            throw new CryptographicException($"{what} does not authenticate: the file was altered");
        }
    }

    [GeneratedRegex(@"^ENC\[AES256_GCM,data:(?<data>[A-Za-z0-9+/=]*),iv:(?<iv>[A-Za-z0-9+/=]+),tag:(?<tag>[A-Za-z0-9+/=]+),type:(?<type>[a-z]+)\]$", RegexOptions.CultureInvariant)]
    private static partial Regex EncryptedValue();
}
