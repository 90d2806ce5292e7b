using System.Text.Json.Nodes;
using GitOpsReverser.Capture;
using GitOpsReverser.Control;
using GitOpsReverser.Git;
using GitOpsReverser.Specs;
using GitOpsReverser.UnitTests.TestSupport;
using Microsoft.Extensions.Logging.Abstractions;

namespace GitOpsReverser.UnitTests.Control;

/// <summary><see cref="GitRepoConfigReconciler"/> on the GitRepoConfigs it is given, with fake Git pipelines: no cluster, no Git.</summary>
public sealed class GitRepoConfigReconcilerTests
{
    private readonly List<(RepoWorkerOptions Options, FakeRepoPipeline Pipeline)> pipelines = [];
    private readonly List<RepoCapture> removed = [];
    private readonly ManualTime time = new(DateTimeOffset.Parse("2026-11-30T10:00:00Z", System.Globalization.CultureInfo.InvariantCulture));
    private Exception? nextFailure;
    private string clonePath = "/nonexistent/fake-clone";
    private GitRepoConfigReconciler reconciler = null!;

    [SetUp]
    public void Create() => reconciler = Reconciler();

    // Without an API server: the Secret reader's requests fail, and the tenants' RBAC is the one given.
    private GitRepoConfigReconciler Reconciler(TestRbac? rbac = null)
    {
        pipelines.Clear();
        removed.Clear();
        nextFailure = null;
        return new GitRepoConfigReconciler(
            new OperatorOptions { DataDirectory = "/nonexistent/data", AllowLocalRepositories = false },
            new SecretReader(new HttpClient { BaseAddress = new Uri("http://127.0.0.1:9/") }), TestSanitizer.Create(), new GitMetrics(new TestMeterFactory()), time,
            NullLoggerFactory.Instance, removed.Add, _ => { },
            options =>
            {
                var pipeline = new FakeRepoPipeline { Failure = nextFailure, ClonePath = clonePath };
                pipelines.Add((options, pipeline));
                return pipeline;
            },
            access: rbac is null ? null : new TenantAccess(rbac, "gitops-reverser-system", "default"));
    }

    [TearDown]
    public async Task RemoveAll() => await reconciler.RemoveAllAsync();

    private static JsonObject Config(string name, string spec, long generation = 1) =>
        JsonNode.Parse($$$"""
            {"apiVersion": "configbutler.ai/v1alpha1", "kind": "GitRepoConfig",
             "metadata": {"name": "{{{name}}}", "namespace": "team-a", "generation": {{{generation}}}},
             "spec": {{{spec}}} }
            """)!.AsObject();

    // What the controller's work queue does for these objects: each one reconciled by its key, and every key gone reconciled as gone.
    private static async Task<List<ObjectStatus>> ReconcileAllAsync(GitRepoConfigReconciler reconciler, IReadOnlyList<JsonObject> objects, CancellationToken cancellationToken)
    {
        var statuses = new List<ObjectStatus>();
        var keys = objects.ToDictionary(obj => SpecReader.KeyOf(SpecReader.GitRepoConfigKind, obj));
        foreach (var (key, obj) in keys)
        {
            statuses.Add((await reconciler.ReconcileAsync(key, obj, cancellationToken))!);
        }

        foreach (var gone in reconciler.All.Select(capture => capture.Spec.Id).Where(key => !keys.ContainsKey(key)).ToList())
        {
            (await reconciler.ReconcileAsync(gone, null, cancellationToken)).Should().BeNull();
        }

        return statuses;
    }

    [Test]
    public async Task AGitRepoConfig_GetsAPipelineBuiltFromItsSpec()
    {
        var statuses = await ReconcileAllAsync(reconciler,
            [Config("audit", """{"url": "https://git.example.com/audit.git", "branch": "live", "push": {"maxCommits": 7}}""")], CancellationToken.None);

        var (options, pipeline) = pipelines.Should().ContainSingle().Which;
        options.Url.Should().Be("https://git.example.com/audit.git");
        options.Branch.Should().Be("live");
        options.PushMaxCommits.Should().Be(7);
        options.DataDirectory.Should().Be("/nonexistent/data");
        options.Id.Should().MatchRegex("^team-a\\.audit\\.[0-9a-f]{8}$");
        reconciler.TryGet(new ResourceKey("GitRepoConfig", "team-a", "audit"), out var capture).Should().BeTrue();
        capture.Worker.Should().BeSameAs(pipeline);
        statuses.Single().Should().Match<ObjectStatus>(status => status.Ready == true && status.Reason == "Ready" && status.Message == "every commit is pushed");
    }

    [Test]
    public async Task EncryptWithoutRecipients_IsRefused_AndWithThemTheCaptureEncrypts()
    {
        var refused = await ReconcileAllAsync(reconciler, [Config("plain", """{"url": "https://git.example.com/a.git", "secretPolicy": "Encrypt"}""")], CancellationToken.None);

        var status = refused.Should().ContainSingle().Which;
        status.Ready.Should().BeFalse();
        status.Reason.Should().Be("EncryptionNotConfigured");
        status.Message.Should().Contain("encryption.age.recipients");
        pipelines.Should().BeEmpty();

        var accepted = await ReconcileAllAsync(reconciler, [Config("plain", """
            {"url": "https://git.example.com/a.git", "secretPolicy": "Encrypt",
             "encryption": {"age": {"recipients": ["age1ru2gk8cpdp2mdmv3ezme7men0hc77q5uh26ajjhef624jtv29g6qtkm8qw"]}}}
            """)], CancellationToken.None);

        accepted.Single().Reason.Should().NotBe("EncryptionNotConfigured");
        reconciler.All.Should().ContainSingle().Which.Encryptor!.Recipients.Select(recipient => recipient.Text)
            .Should().Equal("age1ru2gk8cpdp2mdmv3ezme7men0hc77q5uh26ajjhef624jtv29g6qtkm8qw");
    }

    [Test]
    public async Task ALocalPath_IsRefusedWithoutTheFlag_AndGetsNoPipeline()
    {
        var statuses = await ReconcileAllAsync(reconciler, [Config("local", """{"url": "/srv/git/audit.git"}""")], CancellationToken.None);

        pipelines.Should().BeEmpty();
        statuses.Single().Should().Match<ObjectStatus>(status => status.Ready == false && status.Reason == "InvalidSpec"
            && status.Message.Contains("local paths need --allow-local-repositories"));
    }

    [Test]
    public async Task ANewGeneration_WithTheSameSpec_KeepsThePipeline_AChangedSpecReplacesIt_AndAGoneConfigRemovesIt()
    {
        await ReconcileAllAsync(reconciler, [Config("audit", """{"url": "https://git.example.com/audit.git"}""")], CancellationToken.None);
        await ReconcileAllAsync(reconciler, [Config("audit", """{"url": "https://git.example.com/audit.git"}""", generation: 2)], CancellationToken.None);
        pipelines.Should().HaveCount(1, "only the generation changed");

        await ReconcileAllAsync(reconciler, [Config("audit", """{"url": "https://git.example.com/moved.git"}""", generation: 3)], CancellationToken.None);
        pipelines.Should().HaveCount(2);
        pipelines[0].Pipeline.Disposed.Should().BeTrue();
        removed.Should().ContainSingle();

        await ReconcileAllAsync(reconciler, [], CancellationToken.None);
        pipelines[1].Pipeline.Disposed.Should().BeTrue();
        reconciler.All.Should().BeEmpty();
    }

    [Test]
    public async Task AFailedPipeline_IsReplacedAfterABackoff_AndTheStatusSaysWhenItStartsAgain()
    {
        nextFailure = new IOException("the clone is damaged");
        await ReconcileAllAsync(reconciler, [Config("audit", """{"url": "https://git.example.com/audit.git"}""")], CancellationToken.None);
        reconciler.TryGet(new ResourceKey("GitRepoConfig", "team-a", "audit"), out var failing).Should().BeTrue();
        await WaitUntilAsync(() => failing.Failure is not null);
        nextFailure = null;

        var statuses = await ReconcileAllAsync(reconciler, [Config("audit", """{"url": "https://git.example.com/audit.git"}""")], CancellationToken.None);

        statuses.Single().Should().Match<ObjectStatus>(status => status.Ready == false && status.Reason == "WorkerFailed"
            && status.Message.Contains("the clone is damaged") && status.Message.Contains("starting it again at 10:00:05Z"));
        pipelines.Should().HaveCount(1, "no new pipeline before the backoff has passed");

        time.Advance(TimeSpan.FromSeconds(6));
        statuses = await ReconcileAllAsync(reconciler, [Config("audit", """{"url": "https://git.example.com/audit.git"}""")], CancellationToken.None);

        pipelines.Should().HaveCount(2);
        statuses.Single().Reason.Should().Be("Ready");
    }

    [Test]
    public async Task ATenantsSecretRef_ItsIdentityMayNotRead_IsAccessDenied_AndTheSecretIsNeverRead()
    {
        await reconciler.RemoveAllAsync();
        var rbac = new TestRbac();
        reconciler = Reconciler(rbac);

        var statuses = await ReconcileAllAsync(reconciler,
            [Config("audit", """{"url": "https://attacker.example.com/r.git", "secretRef": {"name": "admin-git-credentials"}}""")], CancellationToken.None);

        var status = statuses.Single();
        status.Should().Match<ObjectStatus>(status => status.Ready == false && status.Reason == "AccessDenied");
        status.Message.Should().Be("secretRef names secrets \"admin-git-credentials\", which the operator reads only for an identity of namespace team-a that may: " +
            "service account team-a/default may not get secrets \"admin-git-credentials\" in namespace team-a " +
            "(grant it to that service account with a Role and RoleBinding, or set spec.serviceAccountName to one that has it)");
        pipelines.Should().BeEmpty();
        rbac.Asked.Should().ContainSingle().Which.Should().Be(new GitOpsReverser.Kube.AccessRequest("team-a", "default", "get", "", "secrets", "team-a", "admin-git-credentials"));
    }

    [Test]
    public async Task ATenantsRecipientsRef_ItsIdentityMayNotRead_IsAccessDenied()
    {
        await reconciler.RemoveAllAsync();
        reconciler = Reconciler(new TestRbac());

        var statuses = await ReconcileAllAsync(reconciler, [Config("audit", """
            {"url": "https://git.example.com/r.git", "serviceAccountName": "auditor",
             "encryption": {"age": {"recipientsRef": {"kind": "Secret", "name": "keys", "key": "recipients"}}}}
            """)], CancellationToken.None);

        statuses.Single().Should().Match<ObjectStatus>(status => status.Reason == "AccessDenied"
            && status.Message.Contains("encryption.age.recipientsRef names secrets \"keys\"") && status.Message.Contains("service account team-a/auditor may not get"));
    }

    [Test]
    public async Task AFailureThatIsNotTheSpecs_IsThatObjectsCondition_AndEveryOtherGitRepoConfigIsReconciled()
    {
        await reconciler.RemoveAllAsync();
        reconciler = Reconciler(new TestRbac().Allow("team-a/default", "get", "secrets", "team-a", "creds"));

        var statuses = await ReconcileAllAsync(reconciler,
            [Config("a-unreachable-secret", """{"url": "https://git.example.com/a.git", "secretRef": {"name": "creds"}}"""),
             Config("b-bad-branch", """{"url": "https://git.example.com/b.git", "branch": "a..b"}"""),
             Config("c-huge-number", """{"url": "https://git.example.com/c.git", "push": {"maxCommits": 3000000000}}"""),
             Config("d-fine", """{"url": "https://git.example.com/d.git"}""")],
            CancellationToken.None);

        statuses.Select(status => (status.Key.Name, status.Reason)).Should().Equal(
            ("a-unreachable-secret", "ReconcileFailed"), ("b-bad-branch", "InvalidSpec"), ("c-huge-number", "InvalidSpec"), ("d-fine", "Ready"));
        pipelines.Should().ContainSingle().Which.Options.Url.Should().Be("https://git.example.com/d.git");
    }

    [Test]
    public async Task AWorkerThatKeepsFailing_BacksOff_AndLeavesOneQuarantinedClone()
    {
        using var data = new TempDirectory();
        clonePath = data.Combine("repos", "team-a.audit");
        var config = Config("audit", """{"url": "https://git.example.com/audit.git"}""");
        for (var attempt = 1; attempt <= 4; attempt++)
        {
            Directory.CreateDirectory(clonePath);
            await File.WriteAllTextAsync(Path.Combine(clonePath, "attempt"), attempt.ToString(System.Globalization.CultureInfo.InvariantCulture));
            nextFailure = new IOException($"failure {attempt}");
            await ReconcileAllAsync(reconciler, [config], CancellationToken.None);
            reconciler.TryGet(new ResourceKey("GitRepoConfig", "team-a", "audit"), out var failing).Should().BeTrue();
            await WaitUntilAsync(() => failing.Failure is not null);
            nextFailure = null;
            var status = (await ReconcileAllAsync(reconciler, [config], CancellationToken.None)).Single();
            status.Reason.Should().Be("WorkerFailed");
            reconciler.IsFailing(failing.Spec.Id).Should().BeTrue();
            time.Advance(TimeSpan.FromMinutes(5));
        }

        Directory.GetDirectories(Path.Combine(data.Path, "repos")).Select(Path.GetFileName).Should().BeEquivalentTo(["team-a.audit.broken"],
            "a failing worker keeps one quarantined clone, the latest, and leaves a fresh one to start from");
        (await File.ReadAllTextAsync(Path.Combine(clonePath + ".broken", "attempt"))).Should().Be("4");
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (!condition())
        {
            DateTime.UtcNow.Should().BeBefore(deadline);
            await Task.Delay(10);
        }
    }
}
