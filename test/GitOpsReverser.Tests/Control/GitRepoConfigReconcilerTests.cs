using System.Text.Json.Nodes;
using GitOpsReverser.Api;
using GitOpsReverser.Capture;
using GitOpsReverser.Control;
using GitOpsReverser.Git;
using GitOpsReverser.Tests.TestSupport;
using Microsoft.Extensions.Logging.Abstractions;

namespace GitOpsReverser.Tests.Control;

/// <summary><see cref="GitRepoConfigReconciler"/> on the GitRepoConfigs it is given, with fake Git pipelines: no cluster, no Git.</summary>
public sealed class GitRepoConfigReconcilerTests
{
    private readonly List<(RepoWorkerOptions Options, FakeRepoPipeline Pipeline)> pipelines = [];
    private readonly List<RepoCapture> removed = [];
    private readonly ManualTime time = new(DateTimeOffset.Parse("2026-11-30T10:00:00Z", System.Globalization.CultureInfo.InvariantCulture));
    private Exception? nextFailure;
    private GitRepoConfigReconciler reconciler = null!;

    [SetUp]
    public void Create()
    {
        pipelines.Clear();
        removed.Clear();
        nextFailure = null;
        reconciler = new GitRepoConfigReconciler(
            new OperatorOptions { DataDirectory = "/nonexistent/data", AllowLocalRepositories = false },
            new SecretReader(new HttpClient()), TestSanitizer.Create(), new GitMetrics(new TestMeterFactory()), time, NullLoggerFactory.Instance,
            removed.Add, () => { },
            options =>
            {
                var pipeline = new FakeRepoPipeline { Failure = nextFailure };
                pipelines.Add((options, pipeline));
                return pipeline;
            });
    }

    [TearDown]
    public async Task RemoveAll() => await reconciler.RemoveAllAsync();

    private static JsonObject Config(string name, string spec, long generation = 1) =>
        JsonNode.Parse($$$"""
            {"apiVersion": "configbutler.ai/v1alpha1", "kind": "GitRepoConfig",
             "metadata": {"name": "{{{name}}}", "namespace": "team-a", "generation": {{{generation}}}},
             "spec": {{{spec}}} }
            """)!.AsObject();

    [Test]
    public async Task AGitRepoConfig_GetsAPipelineBuiltFromItsSpec()
    {
        var statuses = await reconciler.ReconcileAsync(
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
        var refused = await reconciler.ReconcileAsync([Config("plain", """{"url": "https://git.example.com/a.git", "secretPolicy": "Encrypt"}""")], CancellationToken.None);

        var status = refused.Should().ContainSingle().Which;
        status.Ready.Should().BeFalse();
        status.Reason.Should().Be("EncryptionNotConfigured");
        status.Message.Should().Contain("encryption.age.recipients");
        pipelines.Should().BeEmpty();

        var accepted = await reconciler.ReconcileAsync([Config("plain", """
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
        var statuses = await reconciler.ReconcileAsync([Config("local", """{"url": "/srv/git/audit.git"}""")], CancellationToken.None);

        pipelines.Should().BeEmpty();
        statuses.Single().Should().Match<ObjectStatus>(status => status.Ready == false && status.Reason == "InvalidSpec"
            && status.Message.Contains("local paths need --allow-local-repositories"));
    }

    [Test]
    public async Task ANewGeneration_WithTheSameSpec_KeepsThePipeline_AChangedSpecReplacesIt_AndAGoneConfigRemovesIt()
    {
        await reconciler.ReconcileAsync([Config("audit", """{"url": "https://git.example.com/audit.git"}""")], CancellationToken.None);
        await reconciler.ReconcileAsync([Config("audit", """{"url": "https://git.example.com/audit.git"}""", generation: 2)], CancellationToken.None);
        pipelines.Should().HaveCount(1, "only the generation changed");

        await reconciler.ReconcileAsync([Config("audit", """{"url": "https://git.example.com/moved.git"}""", generation: 3)], CancellationToken.None);
        pipelines.Should().HaveCount(2);
        pipelines[0].Pipeline.Disposed.Should().BeTrue();
        removed.Should().ContainSingle();

        await reconciler.ReconcileAsync([], CancellationToken.None);
        pipelines[1].Pipeline.Disposed.Should().BeTrue();
        reconciler.All.Should().BeEmpty();
    }

    [Test]
    public async Task AFailedPipeline_IsReplacedAfterABackoff_AndTheStatusSaysWhenItStartsAgain()
    {
        nextFailure = new IOException("the clone is damaged");
        await reconciler.ReconcileAsync([Config("audit", """{"url": "https://git.example.com/audit.git"}""")], CancellationToken.None);
        reconciler.TryGet(new ResourceKey("GitRepoConfig", "team-a", "audit"), out var failing).Should().BeTrue();
        await WaitUntilAsync(() => failing.Failure is not null);
        nextFailure = null;

        var statuses = await reconciler.ReconcileAsync([Config("audit", """{"url": "https://git.example.com/audit.git"}""")], CancellationToken.None);

        statuses.Single().Should().Match<ObjectStatus>(status => status.Ready == false && status.Reason == "WorkerFailed"
            && status.Message.Contains("the clone is damaged") && status.Message.Contains("starting it again at 10:00:05Z"));
        pipelines.Should().HaveCount(1, "no new pipeline before the backoff has passed");

        time.Advance(TimeSpan.FromSeconds(6));
        statuses = await reconciler.ReconcileAsync([Config("audit", """{"url": "https://git.example.com/audit.git"}""")], CancellationToken.None);

        pipelines.Should().HaveCount(2);
        statuses.Single().Reason.Should().Be("Ready");
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
