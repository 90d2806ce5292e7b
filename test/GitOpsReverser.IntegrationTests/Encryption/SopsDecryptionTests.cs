using System.Security.Cryptography;
using System.Text;
using GitOpsReverser.Encryption;
using GitOpsReverser.Manifests;
using GitOpsReverser.Sanitizing;
using AgeIdentity = GitOpsReverser.Encryption.AgeIdentity;
using Identity = GitOpsReverser.TestServers.AgeIdentity;

namespace GitOpsReverser.IntegrationTests.Encryption;

/// <summary>
/// What <c>restore --age-identity</c> reads: files the real age CLI encrypted (armored and binary, one chunk and
/// several), and SOPS files as the operator writes them, back to exactly their values; a wrong identity or an
/// altered byte is refused, never read as something else.
/// </summary>
[Category("Integration")]
public sealed class SopsDecryptionTests
{
    private TempDirectory temp = null!;
    private Identity mine = null!;
    private Identity stranger = null!;

    [OneTimeSetUp]
    public async Task CreateIdentitiesAsync()
    {
        temp = new TempDirectory();
        mine = await SopsTools.NewIdentityAsync(temp.Path);
        stranger = await SopsTools.NewIdentityAsync(temp.Path);
    }

    [OneTimeTearDown]
    public void DeleteIdentities() => temp.Dispose();

    private IReadOnlyList<AgeIdentity> Mine => AgeIdentity.ReadFile(File.ReadAllText(mine.File));

    [TestCase(32, true)]
    [TestCase(32, false)]
    [TestCase(0, true)]
    [TestCase(64 * 1024, false)]
    [TestCase(200_000, true)]
    public async Task WhatTheAgeCliEncrypts_DecryptsToTheSameBytes(int length, bool armor)
    {
        var plaintext = RandomNumberGenerator.GetBytes(length);
        var file = await SopsTools.AgeEncryptAsync(plaintext, mine.Recipient, armor);

        AgeFile.Decrypt(file, Mine).Should().Equal(plaintext);
        var strangers = () => AgeFile.Decrypt(file, AgeIdentity.ReadFile(File.ReadAllText(stranger.File)));
        strangers.Should().Throw<CryptographicException>().WithMessage("no identity given matches any of the file's recipients");
    }

    [Test]
    public async Task AnAlteredAgeFile_IsRefused()
    {
        var file = await SopsTools.AgeEncryptAsync(Encoding.UTF8.GetBytes("a data key of thirty-two bytes!!"), mine.Recipient, armor: false);
        file[^5] ^= 1;

        var read = () => AgeFile.Decrypt(file, Mine);
        read.Should().Throw<CryptographicException>().WithMessage("the age payload does not authenticate*");
    }

    [Test]
    public void AnEncryptedSecret_ReadsBack_ToItsValues_AndAnAlteredValueOrMac_IsRefused()
    {
        var manifest = Manifest("""{"apiVersion":"v1","kind":"Secret","metadata":{"name":"db","namespace":"shop"},"type":"Opaque","data":{"password":"czNjcjN0","user":"YXBw","empty":""}}""");
        var original = CanonicalYaml.Write(manifest);
        new SopsEncryptor([AgeRecipient.Parse(mine.Recipient)]).Encrypt(manifest, DateTimeOffset.UtcNow);
        var encrypted = CanonicalYaml.Write(manifest);
        encrypted.Should().NotContain("czNjcjN0");

        var read = Read(encrypted);
        SopsDecryptor.Decrypt(read, Mine);
        CanonicalYaml.Write(read).Should().Be(original);

        var strangers = () => SopsDecryptor.Decrypt(Read(encrypted), AgeIdentity.ReadFile(File.ReadAllText(stranger.File)));
        strangers.Should().Throw<CryptographicException>().WithMessage($"no identity given opens any of the file's age stanzas (recipients: {mine.Recipient})");

        // Another value's ciphertext moved into the password: its path is its additional data, so it does not authenticate.
        var swapped = Read(encrypted);
        swapped.GetMapping("data")!["password"] = swapped.GetMapping("data")!["user"]!;
        var readSwapped = () => SopsDecryptor.Decrypt(swapped, Mine);
        readSwapped.Should().Throw<CryptographicException>().WithMessage("the value at data:password does not authenticate: the file was altered");

        // A value re-encrypted by someone without the MAC's key cannot be made to match it.
        var noMac = Read(encrypted);
        noMac.GetMapping("sops")!["lastmodified"] = ScalarNode.String("2020-01-01T00:00:00Z");
        var readNoMac = () => SopsDecryptor.Decrypt(noMac, Mine);
        readNoMac.Should().Throw<CryptographicException>().WithMessage("the MAC does not authenticate: the file was altered");
    }

    [Test]
    public async Task ABrokenAgeFileOrSopsValue_IsRefused_NeverACrash()
    {
        var file = await SopsTools.AgeEncryptAsync(Encoding.UTF8.GetBytes("a data key of thirty-two bytes!!"), mine.Recipient, armor: true);
        var armored = Encoding.ASCII.GetString(file);
        var broken = new[]
        {
            armored.Replace("\n", "\n!!", StringComparison.Ordinal),
            AgeFile.ArmorBegin + "\nYWdlLWVuY3J5cHRpb24ub3JnL3Yx\n" + AgeFile.ArmorEnd,
            Encoding.ASCII.GetString(await SopsTools.AgeEncryptAsync([1, 2, 3], mine.Recipient, armor: false))[..^20],
        };
        foreach (var text in broken)
        {
            var read = () => AgeFile.Decrypt(Encoding.ASCII.GetBytes(text), Mine);
            read.Should().Throw<CryptographicException>();
        }

        var manifest = Manifest("""{"apiVersion":"v1","kind":"Secret","metadata":{"name":"db"},"data":{"password":"czNjcjN0"}}""");
        new SopsEncryptor([AgeRecipient.Parse(mine.Recipient)]).Encrypt(manifest, DateTimeOffset.UtcNow);
        var garbled = Read(CanonicalYaml.Write(manifest));
        garbled.GetMapping("data")!["password"] = ScalarNode.String("ENC[AES256_GCM,data:abc,iv:a,tag:b,type:str]");
        var readGarbled = () => SopsDecryptor.Decrypt(garbled, Mine);
        readGarbled.Should().Throw<CryptographicException>().WithMessage("the value at data:password does not authenticate: the file was altered");
    }

    [TestCase("", "holds no age identity")]
    [TestCase("# created: today\n# public key: age1x\n", "holds no age identity")]
    [TestCase("age1qyqszqgpqyqszqgpqyqszqgpqyqszqgpqyqszqgpqyqszqgpqyqs3290gq", "line 1 is not an age X25519 identity (AGE-SECRET-KEY-1…)")]
    [TestCase("AGE-SECRET-KEY-1QQQQ", "line 1: the identity has a wrong checksum (a typo, or a truncated key)")]
    public void AnIdentityFileThatIsNot_IsRefusedSayingWhy(string text, string problem)
    {
        var read = () => AgeIdentity.ReadFile(text);
        read.Should().Throw<FormatException>().WithMessage(problem);
    }

    private static MappingNode Manifest(string json) => (MappingNode)JsonManifestReader.Read(Encoding.UTF8.GetBytes(json));

    private static MappingNode Read(string yaml) => ManifestReader.ReadObjects(yaml).Single().Manifest!;
}
