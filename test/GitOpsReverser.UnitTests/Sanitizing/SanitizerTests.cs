using GitOpsReverser.Manifests;
using GitOpsReverser.Sanitizing;

namespace GitOpsReverser.UnitTests.Sanitizing;

public sealed class SanitizerTests
{
    private const string SecretYaml = """
        apiVersion: v1
        kind: Secret
        metadata:
          name: s
          namespace: default
          annotations: {note: plain}
        data: {password: c2VjcmV0LXZhbHVl}
        stringData: {token: secret-value}
        type: Opaque
        """;

    [Test]
    public void Sanitize_Metadata_KeepsOnlyNameNamespaceLabelsAndAnnotations()
    {
        var manifest = Manifest.Yaml("""
            apiVersion: v1
            kind: ConfigMap
            metadata:
              name: c
              namespace: default
              uid: 1
              resourceVersion: "2"
              generation: 3
              generateName: c-
              creationTimestamp: "2025-01-01T00:00:00Z"
              deletionTimestamp: "2025-01-01T00:00:00Z"
              deletionGracePeriodSeconds: 30
              selfLink: /api/v1/x
              managedFields: [{manager: kubectl}]
              ownerReferences: [{kind: X}]
              finalizers: [x]
              labels: {a: b}
              annotations:
                kubectl.kubernetes.io/last-applied-configuration: "{}"
                deployment.kubernetes.io/revision: "1"
                argocd.argoproj.io/tracking-id: x
                mine: kept
            """);

        var result = TestSanitizer.Create().Sanitize(manifest);

        var metadata = result.Manifest!.GetMapping("metadata")!;
        metadata.Entries.Select(entry => entry.Key).Should().Equal("name", "namespace", "labels", "annotations");
        metadata.GetMapping("annotations")!.Entries.Select(entry => entry.Key).Should().Equal("mine");
    }

    [Test]
    public void Sanitize_StatusOfACustomResource_IsDropped()
    {
        var manifest = Manifest.Yaml("{apiVersion: example.com/v1, kind: Widget, metadata: {name: w}, spec: {size: 1}, status: {ready: true}}");

        TestSanitizer.Create().Sanitize(manifest).Manifest!["status"].Should().BeNull();
    }

    [Test]
    public void Sanitize_NotAnObject_ThrowsWithTheReason()
    {
        var act = () => TestSanitizer.Create().Sanitize(Manifest.Yaml("{apiVersion: v1, kind: ConfigMap, metadata: {}}"));

        act.Should().Throw<ManifestFormatException>().WithMessage("*missing metadata.name*");
    }

    [Test]
    public void Sanitize_FingerprintPolicy_SameValueGivesSameFingerprintInDataAndStringData()
    {
        var result = TestSanitizer.Create().Sanitize(Manifest.Yaml(SecretYaml));

        var password = result.Manifest!.GetMapping("data")!.GetString("password");
        var token = result.Manifest!.GetMapping("stringData")!.GetString("token");
        password.Should().MatchRegex("^hmac-sha256:[0-9a-f]{16}$");
        token.Should().Be(password, "data holds base64 of the same value stringData holds in plain text");
    }

    [Test]
    public void Sanitize_FingerprintPolicy_DependsOnTheInstallationKey()
    {
        var otherKey = Convert.ToBase64String(new byte[32]);

        var first = TestSanitizer.Create().Sanitize(Manifest.Yaml(SecretYaml)).Manifest!.GetMapping("data")!.GetString("password");
        var second = TestSanitizer.Create(o => o.FingerprintKey = otherKey).Sanitize(Manifest.Yaml(SecretYaml)).Manifest!.GetMapping("data")!.GetString("password");

        second.Should().NotBe(first);
    }

    [Test]
    public void Sanitize_RedactPolicy_KeepsKeysAndReplacesEveryValue()
    {
        var yaml = TestSanitizer.SanitizeYaml(SecretYaml, o => o.SecretPolicy = SecretPolicy.Redact);

        yaml.Should().Contain("password: <redacted>").And.Contain("token: <redacted>").And.Contain("note: plain");
    }

    [Test]
    public void Sanitize_SkipPolicy_WritesNothing()
    {
        var result = TestSanitizer.Create().Sanitize(Manifest.Yaml(SecretYaml), SecretPolicy.Skip);

        result.IsSkipped.Should().BeTrue();
        result.SkipReason.Should().Contain("skip");
    }

    [Test]
    public void Sanitize_ServiceAccountToken_IsFingerprintedLikeAnySecret()
    {
        // Rules leave token Secrets out unless they include serviceAccountTokens (Capture.ClusterNoise); when one is written, its values are not.
        var token = Manifest.Yaml("{apiVersion: v1, kind: Secret, metadata: {name: t, namespace: d}, type: kubernetes.io/service-account-token, data: {token: dG9rZW4tdmFsdWU=}}");

        var result = TestSanitizer.Create().Sanitize(token);

        result.IsSkipped.Should().BeFalse();
        result.Manifest!.GetMapping("data")!.GetString("token").Should().StartWith(SecretFingerprint.Prefix);
    }

    [Test]
    public void Sanitize_ConfiguredSensitiveKind_IsTreatedLikeASecret()
    {
        var credential = Manifest.Yaml("{apiVersion: vault.example.com/v1, kind: Credential, metadata: {name: c, namespace: d}, data: {key: do-not-leak}}");

        var result = TestSanitizer.Create(o => o.SensitiveKinds = ["Credential.vault.example.com"]).Sanitize(credential);

        result.Manifest!.GetMapping("data")!.GetString("key").Should().StartWith(SecretFingerprint.Prefix);
    }

    [Test]
    public void Sanitize_SecretWithUnexpectedShapes_FailsClosed()
    {
        var blob = "{" + new string('x', 300) + "}";
        var secret = Manifest.Yaml($$"""
            apiVersion: v1
            kind: Secret
            metadata:
              name: s
              namespace: d
              annotations:
                blob: "{{blob}}"
            data: not-a-map
            stringData: {nested: {deep: value-1234}, list: [a, b]}
            """);

        var yaml = CanonicalYaml.Write(TestSanitizer.Create(o => o.SecretPolicy = SecretPolicy.Redact).Sanitize(secret).Manifest!);

        yaml.Should().Contain("data: <redacted>").And.Contain("nested: <redacted>").And.Contain("list: <redacted>").And.Contain("blob: <redacted>");
        yaml.Should().NotContain("value-1234").And.NotContain("xxxx");
    }

    [Test]
    public void Sanitize_CanonicalOutput_IsByteIdenticalForEveryGoldenCaseRunTwice()
    {
        foreach (var caseName in Testdata.CaseNames())
        {
            var first = SanitizerGoldenTests.Render(caseName, out _);
            var second = SanitizerGoldenTests.Render(caseName, out _);
            second.Should().Be(first, caseName);
        }
    }

    [Test]
    public void Sanitize_TheOperatorsOwnGitRepoConfig_CarriesNoCredentialFromItsUrl()
    {
        var manifest = Manifest.Yaml("""
            apiVersion: configbutler.ai/v1alpha1
            kind: GitRepoConfig
            metadata: {name: audit, namespace: team-a}
            spec:
              url: https://x-access-token:ghp_s3cret@github.com/org/audit.git?access_token=ghp_0ther
              secretRef: {name: creds}
            status: {url: "https://***@github.com/org/audit.git"}
            """);

        var yaml = CanonicalYaml.Write(TestSanitizer.Create().Sanitize(manifest).Manifest!);

        yaml.Should().Contain("url: https://***@github.com/org/audit.git?***").And.NotContain("s3cret").And.NotContain("0ther");
    }
}
