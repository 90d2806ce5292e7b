using System.Text;
using GitOpsReverser.Capture;
using GitOpsReverser.Encryption;
using GitOpsReverser.Git;
using GitOpsReverser.Git.Messages;
using GitOpsReverser.Kube;
using GitOpsReverser.Manifests;
using GitOpsReverser.Sanitizing;
using GitOpsReverser.Specs;
using GitOpsReverser.UnitTests.TestSupport;

namespace GitOpsReverser.UnitTests.Capture;

/// <summary>
/// Secrets under <c>secretPolicy: Encrypt</c> through <see cref="RepoCapture"/>: encryption is randomized, yet an
/// unchanged Secret never makes a commit, after a restart neither; new recipients make one re-encrypting resync.
/// </summary>
public sealed class EncryptedCaptureTests
{
    // Public keys printed by age-keygen.
    private const string First = "age1ru2gk8cpdp2mdmv3ezme7men0hc77q5uh26ajjhef624jtv29g6qtkm8qw";
    private const string Second = "age1s4f57ml6fmq2g6trp5g5j3jytgd8ycwldj92v6jkp8gzgakdeqhqymd52u";
    private const string Path = "namespaces/team-a/Secret/db.yaml";
    private static readonly WatchedResource Secrets = new("", "v1", "secrets", "Secret", true);

    private static RepoSpec Spec(SecretPolicy? policy = SecretPolicy.Encrypt) =>
        new(new ResourceKey("GitRepoConfig", "ops", "audit"), 1, "https://git.example.com/audit.git", "main", null, "", null, null, null,
            TimeSpan.Zero, null, null)
        { SecretPolicy = policy };

    private static CaptureRule Rule(string policy = "") =>
        RepoCaptureTests.RuleIn("team-a", $$"""
            "resources": [{"apiVersion": "v1", "kind": "Secret"}] {{(policy.Length > 0 ? $", \"secretPolicy\": \"{policy}\"" : "")}}
            """);

    private static MappingNode Secret(string password, string resourceVersion = "10") =>
        Manifest.Yaml($$$"""
            {"apiVersion": "v1", "kind": "Secret",
             "metadata": {"name": "db", "namespace": "team-a", "uid": "6f1c0d2e-0000-4000-8000-000000000001", "resourceVersion": "{{{resourceVersion}}}",
                          "managedFields": [{"manager": "kubectl-create", "operation": "Update", "apiVersion": "v1", "time": "2026-11-29T10:00:0{{{resourceVersion.Length}}}Z"}]},
             "type": "Opaque", "data": {"password": "{{{Convert.ToBase64String(Encoding.UTF8.GetBytes(password))}}}"}}
            """);

    private static (RepoCapture Capture, FakeRepoPipeline Pipeline) Create(RepoSpec spec, params string[] recipients)
    {
        var pipeline = new FakeRepoPipeline();
        var encryptor = recipients.Length == 0 ? null : new SopsEncryptor([.. recipients.Select(AgeRecipient.Parse)]);
        return (new RepoCapture(spec, "fingerprint", pipeline, TestSanitizer.Create(), TimeProvider.System, encryptor: encryptor)
        {
            ColdStartCommitLimit = 0,
        }, pipeline);
    }

    [Test]
    public async Task ASecret_IsCommittedEncrypted_AndOnlyARealChangeCommitsAgain()
    {
        var (capture, pipeline) = Create(Spec(), First);

        (await capture.UpsertAsync(Secret("hunter2-hunter2"), Rule(), CancellationToken.None)).Should().Be(CaptureOutcome.Committed);
        (await capture.UpsertAsync(Secret("hunter2-hunter2", resourceVersion: "11"), Rule(), CancellationToken.None)).Should().Be(CaptureOutcome.Unchanged);
        (await capture.UpsertAsync(Secret("rotated-rotated", resourceVersion: "12"), Rule(), CancellationToken.None)).Should().Be(CaptureOutcome.Committed);

        pipeline.Changes.Should().HaveCount(2);
        var files = pipeline.Changes.Select(change => Encoding.UTF8.GetString(change.Content!)).ToList();
        files.Should().OnlyContain(file => file.StartsWith(SopsFile.StampPrefix + "hmac-sha256:", StringComparison.Ordinal) && file.Contains("password: ENC[AES256_GCM,"));
        files.Should().NotContain(file => file.Contains("hunter2") || file.Contains("rotated") || file.Contains("aHVudGVy"));
        SopsFile.Read(pipeline.Changes[0].Content!).Stamp.Should().NotBe(SopsFile.Read(pipeline.Changes[1].Content!).Stamp);
    }

    [Test]
    public async Task TheRulesPolicy_WinsOverTheRepositorys()
    {
        var (capture, pipeline) = Create(Spec(), First);

        await capture.UpsertAsync(Secret("hunter2-hunter2"), Rule("Fingerprint"), CancellationToken.None);

        Encoding.UTF8.GetString(pipeline.Changes.Single().Content!).Should().Contain("password: hmac-sha256:").And.NotContain("sops:");
    }

    [Test]
    public async Task AfterARestart_AnUnchangedSecretKeepsItsFile_AndNewRecipientsReEncryptItInOneResync()
    {
        var (before, beforePipeline) = Create(Spec(), First);
        await before.UpsertAsync(Secret("hunter2-hunter2"), Rule(), CancellationToken.None);
        await before.UpsertAsync(Rename(Secret("other-password"), "api"), Rule(), CancellationToken.None);
        var committed = beforePipeline.Changes.ToDictionary(change => change.Path, change => change.Content!);

        // The same recipients: nothing to commit, though every encryption would differ.
        var (same, samePipeline) = Create(Spec(), First);
        Seed(samePipeline, committed);
        await Resync(same, Secret("hunter2-hunter2", resourceVersion: "20"), Rename(Secret("other-password", resourceVersion: "21"), "api"));
        samePipeline.Resyncs.Should().ContainSingle().Which.Should().BeEmpty();

        // A second recipient, and one Secret changed meanwhile: one resync re-encrypts both, saying which was only re-keyed.
        var (rekeyed, rekeyedPipeline) = Create(Spec(), First, Second);
        Seed(rekeyedPipeline, committed);
        await Resync(rekeyed, Secret("hunter2-hunter2", resourceVersion: "20"), Rename(Secret("changed-password", resourceVersion: "22"), "api"));

        var changes = rekeyedPipeline.Resyncs.Should().ContainSingle().Which;
        changes.Select(change => $"{change.Path} {change.Description.Note}").Should().Equal(
            "namespaces/team-a/Secret/api.yaml ",
            $"{Path} {ResyncPlan.RekeyedNote}");
        changes.Should().OnlyContain(change => SopsFile.Read(change.Content!).Recipients.SetEquals(new[] { First, Second }));
        CommitMessage.Resync([.. changes.Select(change => change.Description)]).Should().Contain(
            $"- [UPDATE] Secret/db in ns/team-a by manager/kubectl-create ({ResyncPlan.RekeyedNote})");
    }

    [Test]
    public async Task AFingerprintedFile_BecomesEncrypted_WhenThePolicyChangesToEncrypt()
    {
        var (fingerprinting, fingerprintPipeline) = Create(Spec(policy: null));
        await fingerprinting.UpsertAsync(Secret("hunter2-hunter2"), Rule(), CancellationToken.None);
        var (encrypting, pipeline) = Create(Spec(), First);
        Seed(pipeline, fingerprintPipeline.Changes.ToDictionary(change => change.Path, change => change.Content!));

        await Resync(encrypting, Secret("hunter2-hunter2"));

        var change = pipeline.Resyncs.Single().Should().ContainSingle().Which;
        change.Description.Operation.Should().Be(ChangeOperation.Update);
        change.Description.Note.Should().BeNull();
        SopsFile.Read(change.Content!).Stamp.Should().NotBeNull();
    }

    [Test]
    public async Task WithoutAnEncryptor_AnEncryptPolicyWritesNothing()
    {
        var (capture, pipeline) = Create(Spec());

        (await capture.UpsertAsync(Secret("hunter2-hunter2"), Rule(), CancellationToken.None)).Should().Be(CaptureOutcome.Error);

        pipeline.Changes.Should().BeEmpty();
    }

    private static MappingNode Rename(MappingNode secret, string name)
    {
        secret.GetMapping("metadata")!["name"] = ScalarNode.String(name);
        secret.GetMapping("metadata")!["uid"] = ScalarNode.String("6f1c0d2e-0000-4000-8000-000000000002");
        return secret;
    }

    private static void Seed(FakeRepoPipeline pipeline, Dictionary<string, byte[]> files)
    {
        foreach (var (path, content) in files)
        {
            pipeline.Files[path] = BlobId.Of(content);
            pipeline.Contents[path] = content;
        }
    }

    private static async Task Resync(RepoCapture capture, params MappingNode[] secrets)
    {
        await capture.BeginSyncAsync(new Dictionary<WatchedResource, long> { [Secrets] = 1 },
            path => path.StartsWith("namespaces/team-a/Secret/", StringComparison.Ordinal), CancellationToken.None);
        await capture.Finishing;
        foreach (var secret in secrets)
        {
            (await capture.UpsertAsync(secret, Rule(), CancellationToken.None)).Should().Be(CaptureOutcome.Resync);
        }

        await capture.ListedAsync(Secrets, 1, CancellationToken.None);
        await capture.Finishing;
    }
}
