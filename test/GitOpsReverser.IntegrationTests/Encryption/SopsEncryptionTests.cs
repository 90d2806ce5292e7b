using System.Security.Cryptography;
using System.Text;
using GitOpsReverser.Capture;
using GitOpsReverser.Encryption;
using GitOpsReverser.Manifests;
using GitOpsReverser.Sanitizing;
using AgeIdentity = GitOpsReverser.TestServers.AgeIdentity;

namespace GitOpsReverser.IntegrationTests.Encryption;

/// <summary>
/// What <c>secretPolicy: Encrypt</c> writes, read back by other people's implementations: the real age CLI
/// for each recipient's stanza, and sops-age and sops-decoder (Node.js) for the values and the MAC.
/// </summary>
[Category("Integration")]
public sealed class SopsEncryptionTests
{
    private const string Pem = "-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7\n-----END PRIVATE KEY-----\n";

    private static readonly string Secret = $$$"""
        {"apiVersion": "v1", "kind": "Secret",
         "metadata": {"name": "db", "namespace": "prod", "uid": "1b0c", "resourceVersion": "7",
                      "labels": {"app": "db", "data": "a label whose key SOPS's regex also matches"},
                      "annotations": {"team": "payments"}},
         "type": "Opaque", "immutable": true,
         "data": {"password": "{{{B64("s3cr3t-p4ssw0rd")}}}", "tls.key": "{{{B64(Pem)}}}", "empty": ""},
         "stringData": {"url": "postgres://app:s3cr3t-p4ssw0rd@db:5432/app"}}
        """;

    private TempDirectory temp = null!;
    private AgeIdentity first = null!;
    private AgeIdentity second = null!;
    private AgeIdentity stranger = null!;

    [OneTimeSetUp]
    public async Task MakeIdentities()
    {
        temp = new TempDirectory();
        first = await SopsTools.NewIdentityAsync(temp.Path);
        second = await SopsTools.NewIdentityAsync(temp.Path);
        stranger = await SopsTools.NewIdentityAsync(temp.Path);
    }

    [OneTimeTearDown]
    public void DeleteIdentities() => temp.Dispose();

    [Test]
    public async Task AnAgeFile_ForTwoRecipients_OpensWithTheRealAgeCli_ForEach_AndNotForAStranger()
    {
        var key = RandomNumberGenerator.GetBytes(32);

        var armored = AgeFile.EncryptArmored(key, [AgeRecipient.Parse(first.Recipient), AgeRecipient.Parse(second.Recipient)]);

        armored.Should().StartWith("-----BEGIN AGE ENCRYPTED FILE-----\n").And.EndWith("-----END AGE ENCRYPTED FILE-----\n");
        (await SopsTools.AgeDecryptAsync(armored, first)).Should().Equal(key);
        (await SopsTools.AgeDecryptAsync(armored, second)).Should().Equal(key);
        var wrong = async () => await SopsTools.AgeDecryptAsync(armored, stranger);
        await wrong.Should().ThrowAsync<InvalidOperationException>().WithMessage("*no identity matched any of the recipients*");
    }

    [Test]
    public async Task AnEncryptedSecret_ReadsBack_ToExactlyItsValues_WithEitherIdentity()
    {
        var file = Encrypt(Secret, first, second);

        foreach (var identity in new[] { first, second })
        {
            var reading = await SopsTools.ReadContentAsync(file, identity);

            reading.Data!.ToJsonString().Should().Be($$"""{"empty":"","password":"{{B64("s3cr3t-p4ssw0rd")}}","tls.key":"{{B64(Pem)}}"}""");
            reading.StringData!.ToJsonString().Should().Be("""{"url":"postgres://app:s3cr3t-p4ssw0rd@db:5432/app"}""");
        }

        var keys = (await SopsTools.ReadContentAsync(file, first)).DataKeys.Concat((await SopsTools.ReadContentAsync(file, second)).DataKeys).ToList();
        keys.Should().HaveCount(2).And.OnlyContain(key => key == keys[0], "every recipient's stanza holds the one data key");
        var stranger = async () => await SopsTools.ReadContentAsync(file, this.stranger);
        await stranger.Should().ThrowAsync<InvalidOperationException>();
    }

    [Test]
    public void TheFile_HasTheShapeFluxAndSopsRead_AndNoValueInPlaintext()
    {
        var file = Encrypt(Secret, first);

        file.Should().StartWith("# gitops-reverser content: hmac-sha256:");
        var manifest = ManifestReader.ReadObjects(file).Single().Manifest!;
        var sops = manifest.GetMapping("sops")!;
        sops.GetString("encrypted_regex").Should().Be("^(data|stringData)$");
        sops.GetString("version").Should().Be("3.9.0");
        sops.GetString("lastmodified").Should().MatchRegex(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$");
        sops.GetString("mac").Should().MatchRegex(@"^ENC\[AES256_GCM,data:[A-Za-z0-9+/=]+,iv:[A-Za-z0-9+/=]{44},tag:[A-Za-z0-9+/=]{24},type:str\]$");
        sops.GetSequence("age")!.Items.Cast<MappingNode>().Single().GetString("recipient").Should().Be(first.Recipient);
        manifest.GetMapping("data")!.GetString("password").Should().MatchRegex(@"^ENC\[AES256_GCM,data:.+,iv:.{44},tag:.{24},type:str\]$");
        manifest.GetMapping("data")!.GetString("empty").Should().BeEmpty("sops leaves an empty value as it is");
        manifest.GetMapping("metadata")!.GetMapping("labels")!.GetString("app").Should().Be("db", "only data and stringData are encrypted");
        manifest.GetMapping("metadata")!.GetMapping("labels")!.GetString("data").Should().StartWith("ENC[", "sops encrypts a value when any key on its path matches");
        manifest.GetString("type").Should().Be("Opaque");
        file.Split('\n').Should().Contain("sops:", "the metadata is at the top level, as Flux's decryptor looks for it")
            .And.NotContain(line => line.StartsWith("  uid", StringComparison.Ordinal), "the rest is sanitized as always");
        foreach (var value in new[] { "s3cr3t-p4ssw0rd", B64("s3cr3t-p4ssw0rd"), "MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7", B64(Pem) })
        {
            file.Should().NotContain(value);
        }
    }

    [Test]
    public async Task AChangedPlainValue_FailsTheMac()
    {
        var file = Encrypt(Secret, first);

        var read = async () => await SopsTools.ReadContentAsync(file.Replace("  app: db\n", "  app: dc\n", StringComparison.Ordinal), first);

        await read.Should().ThrowAsync<InvalidOperationException>().WithMessage("*Hash mismatch*");
    }

    [Test]
    public async Task ARemovedEncryptedValue_FailsTheMac()
    {
        var file = Encrypt(Secret, first);
        var lines = file.Split('\n').ToList();
        lines.RemoveAll(line => line.StartsWith("  password: ENC[", StringComparison.Ordinal)).Should().Be(1);

        var read = async () => await SopsTools.ReadContentAsync(string.Join('\n', lines), first);

        await read.Should().ThrowAsync<InvalidOperationException>().WithMessage("*Hash mismatch*");
    }

    [Test]
    public async Task AValueMovedToAnotherKey_FailsItsAuthentication()
    {
        var file = Encrypt(Secret, first);
        var lines = file.Split('\n');
        var password = Array.FindIndex(lines, line => line.StartsWith("  password: ", StringComparison.Ordinal));
        var key = Array.FindIndex(lines, line => line.StartsWith("  tls.key: ", StringComparison.Ordinal));
        (lines[password], lines[key]) = ($"  password: {lines[key]["  tls.key: ".Length..]}", $"  tls.key: {lines[password]["  password: ".Length..]}");

        var read = async () => await SopsTools.ReadContentAsync(string.Join('\n', lines), first);

        await read.Should().ThrowAsync<InvalidOperationException>("the key path is the value's additional data");
    }

    private static string Encrypt(string json, params AgeIdentity[] identities)
    {
        var sanitizer = TestSanitizer.Create();
        var result = sanitizer.Sanitize(Manifest.Yaml(json), SecretPolicy.Encrypt);
        var encryptor = new SopsEncryptor([.. identities.Select(identity => AgeRecipient.Parse(identity.Recipient))]);
        return Encoding.UTF8.GetString(CapturedFile.Of(result, sanitizer, encryptor, TimeProvider.System)!.Content());
    }

    private static string B64(string text) => Convert.ToBase64String(Encoding.UTF8.GetBytes(text));
}
