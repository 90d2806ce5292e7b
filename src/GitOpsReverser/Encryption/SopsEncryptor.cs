using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using GitOpsReverser.Manifests;
using GitOpsReverser.Sanitizing;
using Org.BouncyCastle.Crypto.Engines;
using Org.BouncyCastle.Crypto.Modes;
using Org.BouncyCastle.Crypto.Parameters;

namespace GitOpsReverser.Encryption;

/// <summary>
/// Encrypts a manifest the way <c>sops --encrypt --age … --encrypted-regex '^(data|stringData)$'</c> does
/// (SOPS 3.x): a random 32-byte data key; every value with a key on its path that matches the regex becomes
/// <c>ENC[AES256_GCM,data:…,iv:…,tag:…,type:…]</c> (a 32-byte IV, the path joined with <c>:</c> plus a
/// trailing <c>:</c> as additional data); the MAC is SHA-512 over every value in document order, in upper-case
/// hex, encrypted with <c>lastmodified</c> as additional data; the data key goes to each recipient in its own
/// armored age file. Flux's kustomize-controller and <c>sops -d</c> read the result with an age identity.
/// </summary>
internal sealed partial class SopsEncryptor
{
    public const string EncryptedRegex = "^(data|stringData)$";

    /// <summary>The SOPS format version written in the metadata.</summary>
    public const string Version = "3.9.0";

    public SopsEncryptor(IReadOnlyList<AgeRecipient> recipients)
    {
        ArgumentOutOfRangeException.ThrowIfZero(recipients.Count, nameof(recipients));
        Recipients = recipients;
    }

    public IReadOnlyList<AgeRecipient> Recipients { get; }

    /// <summary>Encrypts <paramref name="manifest"/> in place and adds its <c>sops</c> block, stamped <paramref name="now"/>.</summary>
    public void Encrypt(MappingNode manifest, DateTimeOffset now)
    {
        if (manifest["sops"] is not null)
        {
            throw new ManifestFormatException("the object already has a top-level sops field");
        }

        var dataKey = RandomNumberGenerator.GetBytes(32);
        var cipher = new ValueCipher(dataKey);
        try
        {
            using var mac = IncrementalHash.CreateHash(HashAlgorithmName.SHA512);
            foreach (var (_, value) in CanonicalYaml.Leaves(manifest))
            {
                mac.AppendData(Encoding.UTF8.GetBytes(MacText(value)));
            }

            EncryptValues(manifest, [], encrypted: false, cipher);
            var lastModified = now.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
            var age = new SequenceNode(Recipients.Select(recipient => (ManifestNode)Mapping(
                ("recipient", ScalarNode.String(recipient.Text)),
                ("enc", ScalarNode.String(AgeFile.EncryptArmored(dataKey, [recipient]))))));
            manifest["sops"] = Mapping(
                ("age", age),
                ("lastmodified", ScalarNode.String(lastModified)),
                ("mac", ScalarNode.String(cipher.Encrypt(Convert.ToHexString(mac.GetHashAndReset()), "str", lastModified))),
                ("encrypted_regex", ScalarNode.String(EncryptedRegex)),
                ("version", ScalarNode.String(Version)));
        }
        finally
        {
            CryptographicOperations.ZeroMemory(dataKey);
        }
    }

    private static void EncryptValues(ManifestNode node, string[] path, bool encrypted, ValueCipher cipher)
    {
        switch (node)
        {
            case MappingNode mapping:
                foreach (var (key, value) in mapping.Entries.ToArray())
                {
                    if (value is ScalarNode scalar && (encrypted || Encrypts(key)))
                    {
                        mapping[key] = Encrypted(scalar, [.. path, key], cipher);
                    }
                    else
                    {
                        EncryptValues(value, [.. path, key], encrypted || Encrypts(key), cipher);
                    }
                }

                break;
            case SequenceNode sequence:
                for (var i = 0; i < sequence.Items.Count; i++)
                {
                    sequence.Items[i] = sequence.Items[i] is ScalarNode scalar && encrypted
                        ? Encrypted(scalar, path, cipher)
                        : sequence.Items[i];
                    EncryptValues(sequence.Items[i], path, encrypted, cipher);
                }

                break;
        }
    }

    private static ScalarNode Encrypted(ScalarNode scalar, string[] path, ValueCipher cipher) => scalar.Kind switch
    {
        // sops leaves empty strings and nulls as they are.
        ScalarKind.Null => scalar,
        ScalarKind.String when scalar.Text.Length == 0 => scalar,
        ScalarKind.String => ScalarNode.String(cipher.Encrypt(scalar.Text, "str", AdditionalData(path))),
        ScalarKind.Integer => ScalarNode.String(cipher.Encrypt(scalar.Text, "int", AdditionalData(path))),
        ScalarKind.Float => ScalarNode.String(cipher.Encrypt(scalar.Text, "float", AdditionalData(path))),
        _ => ScalarNode.String(cipher.Encrypt(MacText(scalar), "bool", AdditionalData(path))),
    };

    private static bool Encrypts(string key) => EncryptedKey().IsMatch(key);

    private static string AdditionalData(string[] path) => string.Join(':', path) + ":";

    // How sops turns a value into bytes for its MAC: booleans as Python wrote them, null as nothing.
    internal static string MacText(ScalarNode value) => value.Kind switch
    {
        ScalarKind.Boolean => value.Text == "true" ? "True" : "False",
        ScalarKind.Null => "",
        _ => value.Text,
    };

    /// <summary>
    /// AES-256-GCM with SOPS's 32-byte IVs, which .NET's AesGcm does not take. One BouncyCastle cipher serves a
    /// whole file: after the first value it is re-initialised with a new IV only, keeping the key's tables.
    /// </summary>
    private sealed class ValueCipher(byte[] dataKey)
    {
        private readonly GcmBlockCipher cipher = new(new AesEngine());
        private bool keyed;

        public string Encrypt(string plaintext, string type, string additionalData)
        {
            var iv = RandomNumberGenerator.GetBytes(32);
            cipher.Init(true, new AeadParameters(keyed ? null : new KeyParameter(dataKey), 128, iv, Encoding.UTF8.GetBytes(additionalData)));
            keyed = true;
            var input = Encoding.UTF8.GetBytes(plaintext);
            var output = new byte[cipher.GetOutputSize(input.Length)];
            var written = cipher.ProcessBytes(input, 0, input.Length, output, 0);
            cipher.DoFinal(output, written);
            var data = Convert.ToBase64String(output, 0, input.Length);
            var tag = Convert.ToBase64String(output, input.Length, 16);
            return $"ENC[AES256_GCM,data:{data},iv:{Convert.ToBase64String(iv)},tag:{tag},type:{type}]";
        }
    }

    private static MappingNode Mapping(params (string Key, ManifestNode Value)[] entries)
    {
        var mapping = new MappingNode();
        foreach (var (key, value) in entries)
        {
            mapping[key] = value;
        }

        return mapping;
    }

    [GeneratedRegex(EncryptedRegex, RegexOptions.CultureInvariant)]
    private static partial Regex EncryptedKey();
}
