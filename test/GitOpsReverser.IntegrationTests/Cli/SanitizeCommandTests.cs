using GitOpsReverser.IntegrationTests.TestSupport;

namespace GitOpsReverser.IntegrationTests.Cli;

/// <summary>The real <c>gitops-reverser</c> binary, run as a process.</summary>
[Category("Integration")]
public sealed class SanitizeCommandTests
{
    private string directory = null!;

    [SetUp]
    public void CreateDirectory() => directory = System.IO.Directory.CreateTempSubdirectory("sanitize-cli-").FullName;

    [TearDown]
    public void DeleteDirectory() => System.IO.Directory.Delete(directory, recursive: true);

    [Test]
    public async Task Sanitize_File_PrintsTheGoldenOutput()
    {
        var keyFile = Path.Combine(directory, "key");
        await File.WriteAllTextAsync(keyFile, TestSanitizer.FingerprintKey);

        var (exitCode, stdout, stderr) = await Run($"sanitize -f \"{Testdata.InputPath("list")}\" --fingerprint-key-file \"{keyFile}\"");

        exitCode.Should().Be(0, stderr);
        stdout.Should().Be(await File.ReadAllTextAsync(Path.Combine(Testdata.CaseDirectory("list"), "expected.yaml")));
        stdout.Should().Contain("token: hmac-sha256:", "a service-account token Secret is fingerprinted like any Secret");
    }

    [Test]
    public async Task Sanitize_WithEncryptAndARecipient_PrintsTheSopsFile_ThatSopsReadersOpen()
    {
        var identity = await SopsTools.NewIdentityAsync(directory);
        const string Input = "apiVersion: v1\nkind: Secret\nmetadata: {name: s, namespace: d}\ndata: {password: aHVudGVyMmh1bnRlcjI=}\n";

        var (exitCode, stdout, stderr) = await Run($"sanitize -f - --secret-policy encrypt --age-recipient {identity.Recipient}", Input);

        exitCode.Should().Be(0, stderr);
        stdout.Should().StartWith("# namespaces/d/Secret/s.yaml\n# gitops-reverser content: hmac-sha256:").And.NotContain("aHVudGVy").And.NotContain("hunter2");
        var file = Path.Combine(directory, "s.yaml");
        await File.WriteAllTextAsync(file, stdout);
        (await SopsTools.ReadAsync(file, identity)).Data!.ToJsonString().Should().Be("""{"password":"aHVudGVyMmh1bnRlcjI="}""");
    }

    [TestCase("--secret-policy encrypt", "--secret-policy encrypt and --age-recipient go together")]
    [TestCase("--age-recipient age1ru2gk8cpdp2mdmv3ezme7men0hc77q5uh26ajjhef624jtv29g6qtkm8qw", "--secret-policy encrypt and --age-recipient go together")]
    [TestCase("--secret-policy encrypt --age-recipient age1ru2gk8cpdp2mdmv3ezme7men0hc77q5uh26ajjhef624jtv29g6qtkm8qq", "wrong checksum")]
    [TestCase("--secret-policy encrypt --age-recipient AGE-SECRET-KEY-1QQQQQQQQQQQQQQQQQQQQQQ", "is an age identity (a private key)")]
    public async Task Sanitize_EncryptWithoutAUsableRecipient_ExitsWithOneAndSaysWhy(string arguments, string message)
    {
        var (exitCode, stdout, stderr) = await Run($"sanitize -f - {arguments}", "apiVersion: v1\nkind: Secret\nmetadata: {name: s, namespace: d}\n");

        exitCode.Should().Be(1);
        stdout.Should().BeEmpty();
        stderr.Should().Contain(message).And.NotContain("QQQQ");
    }

    [Test]
    public async Task Sanitize_StdinWithABadDocument_ReportsItAndExitsWithTwo()
    {
        const string Input = "apiVersion: v1\nkind: Secret\nmetadata: {name: s, namespace: d}\nstringData: {password: hunter2hunter2}\n---\n- not an object\n";

        var (exitCode, stdout, stderr) = await Run("sanitize -f - --secret-policy redact", Input);

        exitCode.Should().Be(2);
        stdout.Should().Contain("# namespaces/d/Secret/s.yaml").And.Contain("password: <redacted>").And.NotContain("hunter2");
        stderr.Should().Contain("error: document 2: not a Kubernetes object: expected a mapping, found a list");
    }

    [Test]
    public async Task Sanitize_InvalidSetting_ExitsWithOneAndSaysWhy()
    {
        var (exitCode, _, stderr) = await Run("sanitize -f -", "{}", ("GITOPS_REVERSER_Sanitizer__FingerprintKey", "short"));

        exitCode.Should().Be(1);
        stderr.Should().Contain("FingerprintKey must be base64 of at least 16 bytes");
    }

    [Test]
    public async Task HelpAndVersion_Work()
    {
        var (helpExit, help, _) = await Run("--help");
        var (versionExit, version, _) = await Run("--version");

        helpExit.Should().Be(0);
        help.Should().Contain("sanitize");
        versionExit.Should().Be(0);
        version.Should().MatchRegex(@"^\d+\.\d+\.\d+");
    }

    private static Task<(int ExitCode, string Stdout, string Stderr)> Run(string arguments, string stdin = "", params (string Name, string Value)[] environment) =>
        CliProcess.RunAsync(arguments, stdin, environment);
}
