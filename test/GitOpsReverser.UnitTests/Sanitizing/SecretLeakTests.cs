using System.Text;
using System.Text.Json;
using GitOpsReverser.Cli;
using GitOpsReverser.Encryption;
using GitOpsReverser.Git.Layout;
using GitOpsReverser.Manifests;
using GitOpsReverser.Sanitizing;
using GitOpsReverser.UnitTests.TestSupport;

namespace GitOpsReverser.UnitTests.Sanitizing;

/// <summary>No plaintext secret byte sequence, raw or base64, may appear in any output, whatever the policy.</summary>
public sealed class SecretLeakTests
{
    private static readonly string[] WrittenPolicies = [nameof(SecretPolicy.Fingerprint), nameof(SecretPolicy.Redact), nameof(SecretPolicy.Encrypt)];

    // A public key printed by age-keygen: what Encrypt writes must leak nothing either.
    private static readonly SopsEncryptor Encryptor = new([AgeRecipient.Parse("age1ru2gk8cpdp2mdmv3ezme7men0hc77q5uh26ajjhef624jtv29g6qtkm8qw")]);

    [Test]
    public void Sanitize_GeneratedSecrets_NeverLeakAValue([ValueSource(nameof(WrittenPolicies))] string policy)
    {
        var generator = new RandomManifests(seed: 11);
        var sanitizer = TestSanitizer.Create(o => o.SecretPolicy = policy == nameof(SecretPolicy.Encrypt) ? SecretPolicy.Fingerprint : Enum.Parse<SecretPolicy>(policy));
        for (var i = 0; i < 500; i++)
        {
            var (input, secrets) = GenerateSecret(generator);

            var output = Preview(sanitizer, input, policy);

            if (policy == nameof(SecretPolicy.Encrypt))
            {
                output.Should().Contain("ENC[AES256_GCM,", "the Secret was encrypted, not left out");
            }

            foreach (var secret in secrets)
            {
                AssertAbsent(output, secret, $"secret {i}:\n{input}");
            }
        }
    }

    [Test]
    public void Sanitize_EveryGoldenFixture_LeaksNoSecretValue([ValueSource(nameof(WrittenPolicies))] string policy)
    {
        var sanitizer = TestSanitizer.Create(o => o.SecretPolicy = policy == nameof(SecretPolicy.Encrypt) ? SecretPolicy.Fingerprint : Enum.Parse<SecretPolicy>(policy));
        var checkedValues = 0;
        foreach (var caseName in Testdata.CaseNames())
        {
            var input = File.ReadAllText(Testdata.InputPath(caseName));
            var secrets = ManifestReader.ReadObjects(input)
                .Where(o => o.IsValid && o.Identity.Kind == "Secret")
                .SelectMany(o => SecretValues(o.Manifest!))
                .ToList();

            var output = Preview(sanitizer, input, policy);

            foreach (var secret in secrets)
            {
                AssertAbsent(output, secret, caseName);
                checkedValues++;
            }
        }

        checkedValues.Should().BeGreaterThan(3, "the fixtures hold Secrets with values");
    }

    private static string Preview(Sanitizer sanitizer, string input, string policy)
    {
        var output = new StringWriter();
        var encryptor = policy == nameof(SecretPolicy.Encrypt) ? Encryptor : null;
        new SanitizePreview(sanitizer, new RepositoryLayout(), encryptor).Write(input, output, new StringWriter());
        return output.ToString();
    }

    private static void AssertAbsent(string output, byte[] secret, string context)
    {
        var plain = Encoding.UTF8.GetString(secret);
        output.Should().NotContain(plain, context);
        output.Should().NotContain(Convert.ToBase64String(secret), context);
        foreach (var line in plain.Split('\n').Where(line => line.Trim().Length >= 16))
        {
            output.Should().NotContain(line.Trim(), context);
        }
    }

    private static IEnumerable<byte[]> SecretValues(MappingNode secret)
    {
        foreach (var (_, value) in secret.GetMapping("data")?.Entries ?? [])
        {
            yield return Convert.FromBase64String(((ScalarNode)value).Text);
        }

        foreach (var (_, value) in secret.GetMapping("stringData")?.Entries ?? [])
        {
            yield return Encoding.UTF8.GetBytes(((ScalarNode)value).Text);
        }
    }

    /// <summary>A Secret whose values also hide in its last-applied configuration, other annotations and labels.</summary>
    private static (string Yaml, List<byte[]> Secrets) GenerateSecret(RandomManifests generator)
    {
        var secrets = new List<byte[]>();
        var data = new Dictionary<string, string>();
        var stringData = new Dictionary<string, string>();
        for (var k = generator.Next(4) + 1; k > 0; k--)
        {
            var value = generator.Next(4) == 0
                ? $"-----BEGIN KEY-----\n{generator.NextWord(40, 64)}\n{generator.NextWord(40, 64)}\n-----END KEY-----\n"
                : generator.NextWord(8, 40);
            secrets.Add(Encoding.UTF8.GetBytes(value));
            if (generator.Next(2) == 0)
            {
                data[$"key{k}"] = Convert.ToBase64String(Encoding.UTF8.GetBytes(value));
            }
            else
            {
                stringData[$"key{k}"] = value;
            }
        }

        var someSecret = Encoding.UTF8.GetString(generator.Pick(secrets));
        var annotations = new Dictionary<string, string>
        {
            ["kubectl.kubernetes.io/last-applied-configuration"] = JsonSerializer.Serialize(new { stringData, data }),
            ["copy"] = someSecret,
            ["embedded"] = $"prefix {someSecret} suffix",
            ["encoded"] = Convert.ToBase64String(Encoding.UTF8.GetBytes(someSecret)),
            ["harmless"] = "team-a",
        };
        var labels = new Dictionary<string, string> { ["app"] = "db", ["leak"] = someSecret.Length <= 63 && !someSecret.Contains('\n') ? someSecret : "x" };
        var yaml = JsonSerializer.Serialize(new
        {
            apiVersion = "v1",
            kind = "Secret",
            metadata = new { name = "s", @namespace = "default", labels, annotations },
            type = "Opaque",
            data,
            stringData,
        });
        return (yaml, secrets);
    }
}
